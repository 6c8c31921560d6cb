//! Starter codebooks for stigma-reduction programs: a place to begin, to be read against the
//! comments and edited. Phrases follow the matching rules (`stem*` = word prefix; phrases with
//! an apostrophe are listed with both `'` and `’`, which are different characters).

use super::comments::OrderedMap;

/// One starter code: recipe name, a short description for the page and its phrases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarterCode {
    pub code: &'static str,
    pub description: &'static str,
    pub phrases: &'static [&'static str],
}

/// The starter codebook (English), in the order shown.
pub const STARTER_CODEBOOK: &[StarterCode] = &[
    StarterCode {
        code: "understanding",
        description: "Understanding or knowledge of mental illness grew: learning, realising, making sense.",
        phrases: &[
            "understand*",
            "learn*",
            "realis*",
            "realiz*",
            "makes sense",
            "made sense",
            "know more",
            "knowledge",
            "aware*",
            "myth*",
            "misconception*",
            "educat*",
            "informat*",
            "now i know",
            "i didn't know",
            "i didn’t know",
        ],
    },
    StarterCode {
        code: "contact",
        description: "Contact with lived experience: hearing a peer's or speaker's own story.",
        phrases: &[
            "lived experience",
            "lived-experience",
            "peer",
            "peers",
            "peer educator*",
            "her story",
            "his story",
            "their story",
            "own story",
            "personal stor*",
            "speaker*",
            "someone who has been through",
            "met someone",
            "talking to someone",
            "real people",
        ],
    },
    StarterCode {
        code: "help_seeking",
        description: "Willingness to seek help, or help actually sought (professional or informal).",
        phrases: &[
            "seek* help",
            "sought help",
            "ask* for help",
            "get help",
            "getting help",
            "reach* out",
            "talk to someone",
            "counsel*",
            "therap*",
            "psycholog*",
            "psychiatr*",
            "my gp",
            "my doctor",
            "see a doctor",
            "helpline",
            "support group*",
        ],
    },
    StarterCode {
        code: "fear",
        description: "Fear or discomfort: being scared, awkward, anxious, or keeping distance.",
        phrases: &[
            "scared",
            "scary",
            "afraid",
            "fear*",
            "frighten*",
            "uncomfortable",
            "awkward",
            "nervous",
            "anxious",
            "dangerous",
            "unpredictable",
            "keep my distance",
            "stay away",
        ],
    },
    StarterCode {
        code: "criticism",
        description: "Criticism of the program: it did not help, was too short or long, boring, or badly run.",
        phrases: &[
            "nothing changed",
            "didn't help",
            "didn’t help",
            "did not help",
            "not helpful",
            "unhelpful",
            "too short",
            "too long",
            "boring",
            "waste of time",
            "pointless",
            "repetitive",
            "patronising",
            "patronizing",
            "could be better",
            "should have",
        ],
    },
];

/// The starter codebook as the recipe's `codebook` value.
pub fn starter_codebook() -> OrderedMap<Vec<String>> {
    OrderedMap(
        STARTER_CODEBOOK
            .iter()
            .map(|c| (c.code.to_string(), c.phrases.iter().map(|p| p.to_string()).collect()))
            .collect(),
    )
}
