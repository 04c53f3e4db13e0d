//! Colours of `site.toml`: hex colours, and the contrast between two of
//! them as WCAG 2 measures it.

/// A colour in sRGB, one byte a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Reads `#rgb` or `#rrggbb` (either case); `None` for anything else.
    ///
    /// ```
    /// use dossier::colour::Rgb;
    /// assert_eq!(Rgb::parse("#8a4b00"), Some(Rgb([0x8a, 0x4b, 0x00])));
    /// assert_eq!(Rgb::parse("#FFF"), Some(Rgb([0xff, 0xff, 0xff])));
    /// assert_eq!(Rgb::parse("red"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        match hex.len() {
            3 => Some(Rgb([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            6 => {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
                Some(Rgb([byte(0)?, byte(2)?, byte(4)?]))
            }
            _ => None,
        }
    }

    /// The colour as `#rrggbb`, lowercase.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The relative luminance of WCAG 2: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        let channel = |value: u8| {
            let c = f64::from(value) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// The contrast ratio of WCAG 2 between this colour and `other`, from 1
    /// (the same) to 21 (black on white).
    ///
    /// ```
    /// use dossier::colour::Rgb;
    /// let white = Rgb([255, 255, 255]);
    /// assert!((Rgb([0, 0, 0]).contrast(white) - 21.0).abs() < 1e-9);
    /// assert!(Rgb::parse("#8a4b00").unwrap().contrast(white) >= 4.5);
    /// ```
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The colour nearest to this one, on the way to `towards` (black or
    /// white), that keeps a contrast of `ratio` with `background`: what to
    /// suggest for an accent that is too faint.
    pub fn nearest_with_contrast(self, background: Rgb, towards: Rgb, ratio: f64) -> Rgb {
        (0..=100)
            .map(|step| self.mix(towards, f64::from(step) / 100.0))
            .find(|colour| colour.contrast(background) >= ratio)
            .unwrap_or(towards)
    }

    /// This colour mixed with `other`, `share` of it (0 to 1).
    fn mix(self, other: Rgb, share: f64) -> Rgb {
        let channel = |a: u8, b: u8| {
            let mixed = f64::from(a) + (f64::from(b) - f64::from(a)) * share;
            mixed.round().clamp(0.0, 255.0) as u8
        };
        let ([r1, g1, b1], [r2, g2, b2]) = (self.0, other.0);
        Rgb([channel(r1, r2), channel(g1, g2), channel(b1, b2)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_of_three_or_six_digits_are_read() {
        for bad in [
            "8a4b00",
            "#8a4b0",
            "#8a4b00ff",
            "#ggg",
            "rgb(0,0,0)",
            "#",
            "",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Rgb::parse("#0a58C2").map(Rgb::hex).as_deref(),
            Some("#0a58c2")
        );
    }

    #[test]
    fn a_faint_colour_is_darkened_until_it_keeps_the_contrast() {
        let white = Rgb([255, 255, 255]);
        let yellow = Rgb::parse("#ffcc00").unwrap();
        assert!(yellow.contrast(white) < 4.5);
        let darker = yellow.nearest_with_contrast(white, Rgb([0, 0, 0]), 4.5);
        assert!(darker.contrast(white) >= 4.5);
        assert!(darker.mix(yellow, 0.1).contrast(white) < darker.contrast(white));
    }
}
