//! `wire_enum!`: an enum whose every variant has one spelling, the wire's (`RUNNING`),
//! used by the API, the journal and parsing alike. Journals written before the
//! enums had it stored the variant's name (`Running`): that still reads back.

/// Defines the enum with `as_str`, `parse`, `ALL`, and serde in the wire spelling
/// (reading the old one too).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// The spelling journals had before this one: the variant's name.
            fn journal_name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant)),+
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text || v.journal_name() == text)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown {} {text:?}", stringify!($name))))
            }
        }
    };
}

pub(crate) use wire_enum;

#[cfg(test)]
mod tests {
    wire_enum! {
        enum Colour { Red = "RED", DarkBlue = "DARK_BLUE" }
    }

    #[test]
    fn one_spelling_on_the_wire_and_the_old_journal_spelling_still_reads() {
        assert_eq!(Colour::DarkBlue.as_str(), "DARK_BLUE");
        assert_eq!(Colour::parse("DARK_BLUE"), Some(Colour::DarkBlue));
        assert_eq!(Colour::parse("DarkBlue"), None);
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).unwrap(), "\"DARK_BLUE\"");
        assert_eq!(
            serde_json::from_str::<Colour>("\"DarkBlue\"").unwrap(),
            Colour::DarkBlue
        );
        assert_eq!(serde_json::from_str::<Colour>("\"RED\"").unwrap(), Colour::Red);
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::DarkBlue]);
    }
}
