//! Numbers written as text, for the postings and the manifest: each number
//! in base 32, its last digit taken from one alphabet and the digits before
//! it from another, so that numbers follow each other with no separator.
//! Every character is a letter, a digit, `$` or `_`: nothing a JSON string
//! or a script needs to escape.
//!
//! ```
//! use dossier::render::search::numbers;
//! let mut text = String::new();
//! for n in [0, 31, 32, 1000] {
//!     numbers::push(&mut text, n);
//! }
//! assert_eq!(text, "0VX0_8");
//! assert_eq!(numbers::read(&text), [0, 31, 32, 1000]);
//! ```

/// The last digit of a number, 0 to 31.
pub const LAST: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";
/// A digit followed by more, 0 to 31.
pub const MORE: &[u8; 32] = b"WXYZabcdefghijklmnopqrstuvwxyz$_";

/// Appends `n` to `out`.
pub fn push(out: &mut String, n: u64) {
    let mut digits = [0u8; 13];
    let mut count = 0;
    let mut rest = n;
    loop {
        digits[count] = (rest % 32) as u8;
        count += 1;
        rest /= 32;
        if rest == 0 {
            break;
        }
    }
    for i in (1..count).rev() {
        out.push(MORE[usize::from(digits[i])] as char);
    }
    out.push(LAST[usize::from(digits[0])] as char);
}

/// The numbers of `text`, as [`push`] wrote them; a character of neither
/// alphabet ends the reading.
pub fn read(text: &str) -> Vec<u64> {
    let mut found = Vec::new();
    let mut value = 0u64;
    for byte in text.bytes() {
        if let Some(digit) = MORE.iter().position(|&b| b == byte) {
            value = value * 32 + digit as u64;
        } else if let Some(digit) = LAST.iter().position(|&b| b == byte) {
            found.push(value * 32 + digit as u64);
            value = 0;
        } else {
            break;
        }
    }
    found
}
