//! The language of everything `loa` says to a person: Vietnamese first,
//! English on request (`--lang en` or a `LANG` that starts with `en`).

use std::fmt;

/// A language `loa` can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese, the default: the officers who run stations read it.
    #[default]
    Vi,
    /// English, for developers and anyone who asks for it.
    En,
}

impl Lang {
    /// Picks the language from an explicit choice, else from the `LANG`
    /// value given (the caller reads the environment, so this stays pure).
    pub fn choose(explicit: Option<&str>, lang_env: Option<&str>) -> Lang {
        if let Some(choice) = explicit {
            return Lang::parse(choice).unwrap_or_default();
        }
        match lang_env {
            Some(v) if v.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// Parses `vi` or `en` (any case); `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vn" | "vie" => Some(Lang::Vi),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }

    /// Returns the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Something that can be said in either language.
pub trait Localize {
    /// The text in `lang`.
    fn localize(&self, lang: Lang) -> String;

    /// A value that displays in `lang`.
    fn in_lang(&self, lang: Lang) -> InLang<'_, Self> {
        InLang { item: self, lang }
    }
}

/// Displays a [`Localize`] value in a chosen language.
pub struct InLang<'a, T: ?Sized> {
    item: &'a T,
    lang: Lang,
}

impl<T: Localize + ?Sized> fmt::Display for InLang<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.item.localize(self.lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choice_beats_environment() {
        assert_eq!(Lang::choose(Some("en"), Some("vi_VN.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(Some("vi"), Some("en_US.UTF-8")), Lang::Vi);
    }

    #[test]
    fn english_locale_selects_english_and_anything_else_vietnamese() {
        assert_eq!(Lang::choose(None, Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(None, Some("C.UTF-8")), Lang::Vi);
        assert_eq!(Lang::choose(None, None), Lang::Vi);
    }
}
