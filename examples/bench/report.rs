//! The benchmark's results as Markdown: the machine, the tools, one table
//! of times, memory and output size with the ratios dossier/Hugo, one of
//! the pages each tool wrote, and how each grows with the corpus.

use std::fmt::Write as _;
use std::time::Duration;

use super::measure::{Measurement, Survey};

/// The results of one tool at one corpus size.
#[derive(Debug, Clone)]
pub struct ToolResult {
    /// `dossier` or `Hugo 0.168.0`.
    pub tool: String,
    /// The timed full builds, each into an empty folder.
    pub full: Vec<Measurement>,
    /// The timed rebuilds after a one-page edit.
    pub edit: Vec<Measurement>,
    /// What the last full build wrote.
    pub output: Survey,
}

impl ToolResult {
    fn full_wall(&self) -> Stats {
        Stats::of(self.full.iter().map(|m| m.wall))
    }

    /// The full build of median CPU time (for an even count, the mean of
    /// the two middle ones), so that its user and system parts add up to
    /// the CPU time the table gives.
    fn full_cpu(&self) -> Measurement {
        let mut runs = self.full.clone();
        runs.sort_unstable_by_key(Measurement::cpu);
        median(&runs, |low, high| Measurement {
            wall: (low.wall + high.wall) / 2,
            user: (low.user + high.user) / 2,
            system: (low.system + high.system) / 2,
            peak_rss: low.peak_rss.max(high.peak_rss),
        })
        .unwrap_or_default()
    }

    fn peak_rss(&self) -> u64 {
        self.full.iter().map(|m| m.peak_rss).max().unwrap_or(0)
    }

    fn edit_wall(&self) -> Duration {
        Stats::of(self.edit.iter().map(|m| m.wall)).median
    }
}

/// The results at one corpus size: dossier, then each Hugo measured.
#[derive(Debug, Clone)]
pub struct SizeResult {
    /// How many content pages.
    pub pages: usize,
    /// One result per tool.
    pub tools: Vec<ToolResult>,
}

/// The median, the fastest and the slowest of some runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// The middle run (the mean of the two middle ones for an even count).
    pub median: Duration,
    /// The fastest run.
    pub min: Duration,
    /// The slowest run.
    pub max: Duration,
}

impl Stats {
    /// The statistics of `runs`; all zero when there is none.
    pub fn of(runs: impl IntoIterator<Item = Duration>) -> Stats {
        let mut runs: Vec<Duration> = runs.into_iter().collect();
        runs.sort_unstable();
        let Some((&min, &max)) = runs.first().zip(runs.last()) else {
            return Stats {
                median: Duration::ZERO,
                min: Duration::ZERO,
                max: Duration::ZERO,
            };
        };
        let median = median(&runs, |low, high| (low + high) / 2).unwrap_or(min);
        Stats { median, min, max }
    }
}

/// The middle of `sorted`, or `mean` of the two middle ones for an even
/// count; none when it is empty.
fn median<T: Copy>(sorted: &[T], mean: impl Fn(T, T) -> T) -> Option<T> {
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some(mean(sorted[middle - 1], sorted[middle])),
    }
}

/// The results table: per size, a row per tool and, for each Hugo, a row
/// of ratios dossier/Hugo.
pub fn results_table(sizes: &[SizeResult]) -> String {
    let mut table = String::from(
        "| pages | tool | full build, median (min–max) | CPU time (user + system) | peak RSS | output | one-page edit, rebuild |\n\
         |---:|---|---:|---:|---:|---:|---:|\n",
    );
    for size in sizes {
        for tool in &size.tools {
            let wall = tool.full_wall();
            let cpu = tool.full_cpu();
            let _ = writeln!(
                table,
                "| {} | {} | {} ({}–{}) | {} ({} + {}) | {} | {} in {} files | {} |",
                thousands(size.pages),
                tool.tool,
                seconds(wall.median),
                seconds(wall.min),
                seconds(wall.max),
                seconds(cpu.cpu()),
                seconds(cpu.user),
                seconds(cpu.system),
                bytes(tool.peak_rss()),
                bytes(tool.output.bytes),
                thousands(tool.output.files),
                seconds(tool.edit_wall()),
            );
        }
        let Some((dossier, hugos)) = size.tools.split_first() else {
            continue;
        };
        for hugo in hugos {
            let _ = writeln!(
                table,
                "| {} | **{}/{}** | **{}** | {} | **{}** | {} | **{}** |",
                thousands(size.pages),
                dossier.tool,
                hugo.tool,
                ratio(dossier.full_wall().median, hugo.full_wall().median),
                ratio(dossier.full_cpu().cpu(), hugo.full_cpu().cpu()),
                ratio_of(dossier.peak_rss(), hugo.peak_rss()),
                ratio_of(dossier.output.bytes, hugo.output.bytes),
                ratio(dossier.edit_wall(), hugo.edit_wall()),
            );
        }
    }
    table
}

/// What each tool wrote at each size, by kind of page: the check that both
/// did the same work.
pub fn pages_table(sizes: &[SizeResult]) -> String {
    let mut table = String::from(
        "| pages | tool | content pages | sections | agency and topic pages | their lists | home | search index | other HTML | other files |\n\
         |---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for size in sizes {
        for tool in &size.tools {
            let o = &tool.output;
            let html = o.pages + o.sections + o.terms + o.term_lists + o.home + o.other_html;
            let _ = writeln!(
                table,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                thousands(size.pages),
                tool.tool,
                thousands(o.pages),
                o.sections,
                o.terms,
                o.term_lists,
                o.home,
                o.search_index,
                o.other_html,
                thousands(o.files - html - o.search_index),
            );
        }
    }
    table
}

/// How each tool's full build (wall and CPU time, and the CPU time's user
/// and system parts) and peak memory grow from each size to the next, and
/// from the first size to the last when there are more than two. The
/// parts tell the tool's own work from the kernel's: on a virtual machine
/// whose host takes back the memory its guest frees, the kernel's share
/// grows with the memory and the files a build makes new.
pub fn growth(sizes: &[SizeResult]) -> String {
    let mut pairs: Vec<(&SizeResult, &SizeResult)> =
        sizes.windows(2).map(|pair| (&pair[0], &pair[1])).collect();
    if let [first, .., last] = sizes
        && sizes.len() > 2
    {
        pairs.push((first, last));
    }
    let mut lines = String::new();
    for (small, large) in pairs {
        for (before, after) in small.tools.iter().zip(&large.tools) {
            let (cpu_before, cpu_after) = (before.full_cpu(), after.full_cpu());
            let _ = writeln!(
                lines,
                "- {}: {} → {} pages (×{:.1}): full build ×{:.2}, CPU time ×{:.2} (user ×{:.2}, system ×{:.2}), peak RSS ×{:.2}",
                before.tool,
                thousands(small.pages),
                thousands(large.pages),
                large.pages as f64 / small.pages as f64,
                growth_of(before.full_wall().median, after.full_wall().median),
                growth_of(cpu_before.cpu(), cpu_after.cpu()),
                growth_of(cpu_before.user, cpu_after.user),
                growth_of(cpu_before.system, cpu_after.system),
                after.peak_rss() as f64 / before.peak_rss().max(1) as f64,
            );
        }
    }
    lines
}

/// How many times `before` fits in `after`.
fn growth_of(before: Duration, after: Duration) -> f64 {
    after.as_secs_f64() / before.as_secs_f64().max(f64::EPSILON)
}

/// A duration as people read it: `412 ms`, `3.47 s`, `17.3 s`.
pub fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 1.0 {
        format!("{} ms", duration.as_millis())
    } else if secs < 10.0 {
        format!("{secs:.2} s")
    } else {
        format!("{secs:.1} s")
    }
}

/// A size in binary units: `512 KiB`, `20.4 MiB`, `2.19 GiB`.
pub fn bytes(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if value < KIB * KIB {
        format!("{:.0} KiB", value / KIB)
    } else if value < KIB * KIB * KIB {
        format!("{:.1} MiB", value / (KIB * KIB))
    } else {
        format!("{:.2} GiB", value / (KIB * KIB * KIB))
    }
}

/// A count with thousands separated: `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

fn ratio(dossier: Duration, hugo: Duration) -> String {
    format_ratio(dossier.as_secs_f64() / hugo.as_secs_f64())
}

fn ratio_of(dossier: u64, hugo: u64) -> String {
    format_ratio(dossier as f64 / hugo as f64)
}

fn format_ratio(ratio: f64) -> String {
    if !ratio.is_finite() {
        "–".to_string()
    } else if ratio < 0.1 {
        format!("{ratio:.3}")
    } else {
        format!("{ratio:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_median_is_the_middle_run_or_the_mean_of_the_two_middle_ones() {
        let odd = Stats::of([ms(30), ms(10), ms(20)]);
        assert_eq!((odd.median, odd.min, odd.max), (ms(20), ms(10), ms(30)));
        assert_eq!(Stats::of([ms(40), ms(10), ms(20), ms(30)]).median, ms(25));
        assert_eq!(Stats::of([]).median, Duration::ZERO);
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(seconds(ms(412)), "412 ms");
        assert_eq!(seconds(ms(3_470)), "3.47 s");
        assert_eq!(seconds(ms(17_320)), "17.3 s");
        assert_eq!(bytes(512 * 1024), "512 KiB");
        assert_eq!(bytes(20 * 1024 * 1024 + 400 * 1024), "20.4 MiB");
        assert_eq!(bytes(2_350_000_000), "2.19 GiB");
    }

    #[test]
    fn the_ratio_row_divides_dossier_by_hugo() {
        let run = |wall: u64, rss: u64| Measurement {
            wall: ms(wall),
            user: ms(wall * 3 / 4),
            system: ms(wall / 4),
            peak_rss: rss,
        };
        let tool = |tool, wall, rss, bytes| ToolResult {
            tool,
            full: vec![run(wall, rss)],
            edit: vec![run(wall / 10, rss)],
            output: Survey {
                bytes,
                ..Survey::default()
            },
        };
        let table = results_table(&[SizeResult {
            pages: 1000,
            tools: vec![
                tool("dossier".into(), 500, 100 << 20, 30 << 20),
                tool("Hugo 0.168.0".into(), 2000, 400 << 20, 20 << 20),
                tool("Hugo 0.111.3".into(), 1000, 200 << 20, 60 << 20),
            ],
        }]);
        assert!(
            table.contains(
                "| 1,000 | dossier | 500 ms (500 ms–500 ms) | 500 ms (375 ms + 125 ms) |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| 1,000 | **dossier/Hugo 0.168.0** | **0.25** | 0.25 | **0.25** | 1.50 | **0.25** |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| 1,000 | **dossier/Hugo 0.111.3** | **0.50** | 0.50 | **0.50** | 0.50 | **0.50** |"
            ),
            "{table}"
        );
    }

    #[test]
    fn the_cpu_times_parts_are_those_of_the_run_of_median_cpu_time() {
        let run = |user: u64, system: u64| Measurement {
            wall: ms(user + system),
            user: ms(user),
            system: ms(system),
            peak_rss: 1,
        };
        let mut tool = ToolResult {
            tool: "dossier".into(),
            full: vec![run(100, 400), run(300, 300), run(500, 50)],
            edit: Vec::new(),
            output: Survey::default(),
        };
        // The medians of each part apart would be 300 ms and 300 ms, which
        // do not add up to the median CPU time, 550 ms.
        let cpu = tool.full_cpu();
        assert_eq!(
            (cpu.cpu(), cpu.user, cpu.system),
            (ms(550), ms(500), ms(50))
        );
        tool.full.push(run(0, 700));
        let cpu = tool.full_cpu();
        assert_eq!(
            (cpu.cpu(), cpu.user, cpu.system),
            (ms(575), ms(400), ms(175))
        );
        tool.full.clear();
        assert_eq!(tool.full_cpu().cpu(), Duration::ZERO);
    }

    #[test]
    fn growth_is_from_each_size_to_the_next_and_from_the_first_to_the_last() {
        let size = |pages: usize, wall: u64, (user, system): (u64, u64), rss: u64| SizeResult {
            pages,
            tools: vec![ToolResult {
                tool: "dossier".into(),
                full: vec![Measurement {
                    wall: ms(wall),
                    user: ms(user),
                    system: ms(system),
                    peak_rss: rss,
                }],
                edit: Vec::new(),
                output: Survey::default(),
            }],
        };
        let lines = growth(&[
            size(10_000, 1000, (1600, 400), 100),
            size(50_000, 5000, (7000, 2000), 450),
            size(100_000, 11_000, (15_000, 6000), 900),
        ]);
        assert_eq!(
            lines,
            "- dossier: 10,000 → 50,000 pages (×5.0): full build ×5.00, CPU time ×4.50 (user ×4.38, system ×5.00), peak RSS ×4.50\n\
             - dossier: 50,000 → 100,000 pages (×2.0): full build ×2.20, CPU time ×2.33 (user ×2.14, system ×3.00), peak RSS ×2.00\n\
             - dossier: 10,000 → 100,000 pages (×10.0): full build ×11.00, CPU time ×10.50 (user ×9.38, system ×15.00), peak RSS ×9.00\n"
        );
        assert_eq!(growth(&[size(1000, 10, (8, 2), 1)]), "");
    }
}
