//! Assertions that show what they looked at: `assert_contains!` and
//! `assert_not_contains!` print the needle and the whole haystack when they
//! fail, so that a failing test says what the text was, not only that the
//! check was false.

use std::borrow::Cow;
use std::fmt::Debug;

/// Text or a list that can be searched for a piece of text: a string holds
/// a needle when the needle is a substring of it, a list of strings when
/// one of its items equals the needle.
pub trait Haystack {
    /// Whether `needle` is in `self`.
    fn holds(&self, needle: &str) -> bool;
    /// `self` in full, as a failure message shows it.
    fn show(&self) -> String;
}

impl Haystack for str {
    fn holds(&self, needle: &str) -> bool {
        self.contains(needle)
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Haystack for String {
    fn holds(&self, needle: &str) -> bool {
        self.as_str().holds(needle)
    }
    fn show(&self) -> String {
        self.clone()
    }
}

impl Haystack for Cow<'_, str> {
    fn holds(&self, needle: &str) -> bool {
        self.as_ref().holds(needle)
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl<T: AsRef<str> + Debug> Haystack for [T] {
    fn holds(&self, needle: &str) -> bool {
        self.iter().any(|item| item.as_ref() == needle)
    }
    fn show(&self) -> String {
        format!("{self:#?}")
    }
}

impl<T: AsRef<str> + Debug> Haystack for Vec<T> {
    fn holds(&self, needle: &str) -> bool {
        self.as_slice().holds(needle)
    }
    fn show(&self) -> String {
        self.as_slice().show()
    }
}

impl<H: Haystack + ?Sized> Haystack for &H {
    fn holds(&self, needle: &str) -> bool {
        (**self).holds(needle)
    }
    fn show(&self) -> String {
        (**self).show()
    }
}

/// Panics unless `haystack` holds `needle` as `expected` says, naming the
/// haystack's expression, the needle, the optional `message` and the whole
/// haystack. The implementation of [`assert_contains!`] and
/// [`assert_not_contains!`].
#[track_caller]
pub fn check<H: Haystack + ?Sized>(
    haystack: &H,
    needle: &str,
    expected: bool,
    expression: &str,
    message: Option<String>,
) {
    if haystack.holds(needle) == expected {
        return;
    }
    let verb = if expected {
        "does not contain"
    } else {
        "contains"
    };
    let message = message.map_or_else(String::new, |m| format!("\n{m}"));
    panic!(
        "`{expression}` {verb} {needle:?}{message}\n--- `{expression}` ---\n{}\n--- end of `{expression}` ---",
        haystack.show()
    );
}

/// Asserts that a text contains a piece of text (or that a list of strings
/// has an item equal to it); on failure, prints the needle and the whole
/// text. An optional message in `format!` form says what a failure means.
///
/// ```ignore
/// assert_contains!(run.stderr, "1 error, 0 warnings");
/// assert_contains!(page, "flies higher", "the agency page lists the new text");
/// ```
macro_rules! assert_contains {
    ($haystack:expr, $needle:expr $(,)?) => {
        $crate::common::assertions::check(
            &$haystack,
            ::std::convert::AsRef::<str>::as_ref(&$needle),
            true,
            stringify!($haystack),
            None,
        )
    };
    ($haystack:expr, $needle:expr, $($message:tt)+) => {
        $crate::common::assertions::check(
            &$haystack,
            ::std::convert::AsRef::<str>::as_ref(&$needle),
            true,
            stringify!($haystack),
            Some(format!($($message)+)),
        )
    };
}

/// The opposite of [`assert_contains!`]: asserts that a text does not
/// contain a piece of text (or that no item of a list equals it).
macro_rules! assert_not_contains {
    ($haystack:expr, $needle:expr $(,)?) => {
        $crate::common::assertions::check(
            &$haystack,
            ::std::convert::AsRef::<str>::as_ref(&$needle),
            false,
            stringify!($haystack),
            None,
        )
    };
    ($haystack:expr, $needle:expr, $($message:tt)+) => {
        $crate::common::assertions::check(
            &$haystack,
            ::std::convert::AsRef::<str>::as_ref(&$needle),
            false,
            stringify!($haystack),
            Some(format!($($message)+)),
        )
    };
}

pub(crate) use {assert_contains, assert_not_contains};

#[test]
#[should_panic(expected = "`text` does not contain \"ISRO\"\n--- `text` ---\nThe NASA team.\n")]
fn a_missing_needle_is_shown_with_the_whole_text() {
    let text = "The NASA team.";
    assert_contains!(text, "ISRO");
}

#[test]
#[should_panic(expected = "`page` contains \"<script\"\nthe page runs script\n--- `page` ---\n")]
fn a_forbidden_needle_is_shown_with_the_message() {
    let page = String::from("<p>Hi</p><script>alert(1)</script>");
    assert_not_contains!(page, "<script", "the page runs {}", "script");
}

#[test]
fn a_list_holds_an_equal_item_not_a_part_of_one() {
    let changed = vec!["domains/space/index.html".to_string()];
    assert_contains!(changed, "domains/space/index.html");
    assert_not_contains!(changed, "domains/space");
}
