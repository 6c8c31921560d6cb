//! Cost ingredients: what was spent, for which arm, and how it scales (a fixed sum, or an amount
//! per participant enrolled). A row's value is an amount, a quantity × unit price, or volunteer
//! hours valued at the table's hourly value. Totals per arm follow from the enrolment counts.

use serde::{Deserialize, Serialize};

/// Categories offered to the user (any other text is accepted too).
pub const SUGGESTED_CATEGORIES: &[&str] =
    &["stipends", "training", "supervision", "materials", "evaluation", "venue", "travel"];

/// Which arm an ingredient belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostArm {
    Intervention,
    Control,
    /// Spent for both arms (for example evaluation). A fixed shared sum is split between the arms
    /// in proportion to the number enrolled, so each participant carries the same share.
    Shared,
}

impl CostArm {
    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            CostArm::Intervention => "intervention",
            CostArm::Control => "control",
            CostArm::Shared => "both arms",
        }
    }
}

/// How an ingredient's value scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// The value is the total for the arm.
    #[default]
    Fixed,
    /// The value is per participant enrolled in the arm.
    PerParticipant,
}

/// An ingredient's value, before the basis is applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostValue {
    Amount {
        amount: f64,
    },
    Quantity {
        quantity: f64,
        unit_price: f64,
    },
    /// Volunteer time, valued at [`CostTable::volunteer_hourly_value`].
    VolunteerHours {
        hours: f64,
    },
}

/// One row of the cost table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostItem {
    pub category: String,
    pub arm: CostArm,
    #[serde(default)]
    pub basis: CostBasis,
    pub value: CostValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CostItem {
    /// A fixed amount for one arm (the `category, arm, amount` row of a cost file).
    pub fn amount(category: &str, arm: CostArm, amount: f64) -> CostItem {
        CostItem {
            category: category.to_string(),
            arm,
            basis: CostBasis::Fixed,
            value: CostValue::Amount { amount },
            note: None,
        }
    }

    /// The value in money (before the basis is applied). Volunteer hours count as 0 until an
    /// hourly value is given; non-finite values count as 0.
    pub fn money(&self, volunteer_hourly_value: Option<f64>) -> f64 {
        let v = match self.value {
            CostValue::Amount { amount } => amount,
            CostValue::Quantity { quantity, unit_price } => quantity * unit_price,
            CostValue::VolunteerHours { hours } => hours * volunteer_hourly_value.unwrap_or(0.0),
        };
        if v.is_finite() {
            v
        } else {
            0.0
        }
    }

    /// A short label for tables ("training (intervention)").
    pub fn label(&self) -> String {
        let basis = match self.basis {
            CostBasis::Fixed => "",
            CostBasis::PerParticipant => ", per participant",
        };
        format!("{} ({}{basis})", self.category, self.arm.label())
    }
}

/// The cost ingredients of one evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostTable {
    pub items: Vec<CostItem>,
    /// Currency label shown with amounts ("$", "€", "KES"); empty = none given.
    pub currency: String,
    /// Value of one volunteer hour, in the table's currency.
    pub volunteer_hourly_value: Option<f64>,
}

/// Money per arm for given enrolment counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmTotals {
    pub intervention: f64,
    pub control: f64,
    /// The part of the two totals that came from shared ingredients.
    pub shared: f64,
}

impl CostTable {
    /// Totals per arm with `n_int` and `n_ctrl` participants enrolled (`n_ctrl` = 0 for a single
    /// group, which then carries every shared cost).
    pub fn totals(&self, n_int: usize, n_ctrl: usize) -> ArmTotals {
        self.totals_scaled(n_int, n_ctrl, &|_| 1.0)
    }

    /// Totals with each ingredient's value multiplied by `scale(index)` (one-way sensitivity).
    pub fn totals_scaled(&self, n_int: usize, n_ctrl: usize, scale: &dyn Fn(usize) -> f64) -> ArmTotals {
        let (ni, nc) = (n_int as f64, n_ctrl as f64);
        let share_int = if n_int + n_ctrl > 0 { ni / (ni + nc) } else { 1.0 };
        let mut t = ArmTotals { intervention: 0.0, control: 0.0, shared: 0.0 };
        for (k, item) in self.items.iter().enumerate() {
            let v = item.money(self.volunteer_hourly_value) * scale(k);
            match (item.arm, item.basis) {
                (CostArm::Intervention, CostBasis::Fixed) => t.intervention += v,
                (CostArm::Intervention, CostBasis::PerParticipant) => t.intervention += v * ni,
                (CostArm::Control, CostBasis::Fixed) => t.control += v,
                (CostArm::Control, CostBasis::PerParticipant) => t.control += v * nc,
                (CostArm::Shared, CostBasis::Fixed) => {
                    let (a, b) = if n_ctrl == 0 { (v, 0.0) } else { (v * share_int, v - v * share_int) };
                    t.intervention += a;
                    t.control += b;
                    t.shared += v;
                }
                (CostArm::Shared, CostBasis::PerParticipant) => {
                    t.intervention += v * ni;
                    t.control += v * nc;
                    t.shared += v * (ni + nc);
                }
            }
        }
        t
    }

    /// True when some volunteer hours have no hourly value yet (they count as 0).
    pub fn has_unvalued_volunteer_hours(&self) -> bool {
        self.volunteer_hourly_value.is_none_or(|v| !v.is_finite())
            && self.items.iter().any(|i| matches!(i.value, CostValue::VolunteerHours { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_follow_basis_and_arm() {
        let table = CostTable {
            items: vec![
                CostItem::amount("stipends", CostArm::Intervention, 1000.0),
                CostItem {
                    category: "materials".into(),
                    arm: CostArm::Intervention,
                    basis: CostBasis::PerParticipant,
                    value: CostValue::Quantity { quantity: 2.0, unit_price: 5.0 },
                    note: None,
                },
                CostItem::amount("materials", CostArm::Control, 100.0),
                CostItem {
                    category: "evaluation".into(),
                    arm: CostArm::Shared,
                    basis: CostBasis::Fixed,
                    value: CostValue::Amount { amount: 300.0 },
                    note: None,
                },
                CostItem {
                    category: "supervision".into(),
                    arm: CostArm::Intervention,
                    basis: CostBasis::Fixed,
                    value: CostValue::VolunteerHours { hours: 10.0 },
                    note: None,
                },
            ],
            currency: "$".into(),
            volunteer_hourly_value: Some(20.0),
        };
        // 20 intervention, 10 control: shared 300 splits 200 / 100.
        let t = table.totals(20, 10);
        assert_eq!(t.intervention, 1000.0 + 10.0 * 20.0 + 200.0 + 200.0);
        assert_eq!(t.control, 100.0 + 100.0);
        assert_eq!(t.shared, 300.0);
        // A single group carries every shared cost.
        assert_eq!(table.totals(20, 0).intervention, 1000.0 + 200.0 + 300.0 + 200.0);
        // Without an hourly value, volunteer time counts 0 and is flagged.
        let unvalued = CostTable { volunteer_hourly_value: None, ..table.clone() };
        assert!(unvalued.has_unvalued_volunteer_hours() && !table.has_unvalued_volunteer_hours());
        assert_eq!(unvalued.totals(20, 10).intervention, 1000.0 + 200.0 + 200.0);
        // Scaling one ingredient.
        assert_eq!(table.totals_scaled(20, 10, &|k| if k == 0 { 1.2 } else { 1.0 }).intervention, 1200.0 + 600.0);
    }
}

/// A cost table typed in the page, written as the cost CSV that [`super::parse_cost_csv`]
/// reads (`category, arm, basis, amount, quantity, unit_price, note`). Volunteer hours are
/// written as money (hours × `volunteer_hourly_value`) with the hours kept in the note.
pub fn typed_table_csv(items: &[CostItem], volunteer_hourly_value: Option<f64>, currency: &str) -> String {
    let cur = currency.trim();
    let money = |v: f64| if cur.is_empty() { format!("{v}") } else { format!("{cur}{v}") };
    let quote = |s: &str| {
        let s = crate::core::present::clean_csv::neutralise(s);
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = String::from("category,arm,basis,amount,quantity,unit_price,note\n");
    for item in items {
        let arm = match item.arm {
            CostArm::Intervention => "intervention",
            CostArm::Control => "control",
            CostArm::Shared => "shared",
        };
        let basis = match item.basis {
            CostBasis::Fixed => "fixed",
            CostBasis::PerParticipant => "per participant",
        };
        let (amount, quantity, unit_price, mut note) = match &item.value {
            CostValue::Amount { amount } => (money(*amount), String::new(), String::new(), String::new()),
            CostValue::Quantity { quantity, unit_price } => {
                (String::new(), format!("{quantity}"), money(*unit_price), String::new())
            }
            CostValue::VolunteerHours { hours } => (
                money(hours * volunteer_hourly_value.unwrap_or(0.0)),
                String::new(),
                String::new(),
                format!("{hours} volunteer hours at {} an hour", money(volunteer_hourly_value.unwrap_or(0.0))),
            ),
        };
        if let Some(n) = &item.note {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(n);
        }
        out.push_str(&format!(
            "{},{arm},{basis},{},{},{},{}\n",
            quote(&item.category),
            quote(&amount),
            quantity,
            quote(&unit_price),
            quote(&note)
        ));
    }
    out
}

#[cfg(test)]
mod typed_tests {
    use super::*;
    use crate::core::analyses::cost::parse_cost_csv;

    #[test]
    fn a_typed_table_reads_back_as_the_same_money() {
        let items = vec![
            CostItem::amount("stipends", CostArm::Intervention, 4800.0),
            CostItem {
                category: "materials, printed".into(),
                arm: CostArm::Intervention,
                basis: CostBasis::PerParticipant,
                value: CostValue::Quantity { quantity: 2.0, unit_price: 3.5 },
                note: None,
            },
            CostItem {
                category: "peer volunteers".into(),
                arm: CostArm::Shared,
                basis: CostBasis::Fixed,
                value: CostValue::VolunteerHours { hours: 40.0 },
                note: Some("=cmd".into()),
            },
            CostItem::amount("=evil", CostArm::Control, 300.0),
        ];
        let csv = typed_table_csv(&items, Some(25.0), "$");
        let parsed = parse_cost_csv(csv.as_bytes(), None).unwrap();
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let t = &parsed.table;
        assert_eq!(t.items.len(), 4);
        assert_eq!(t.items[0].money(None), 4800.0);
        assert_eq!(t.items[1].money(None), 7.0, "2 × 3.5 per participant");
        assert_eq!(t.items[1].basis, CostBasis::PerParticipant);
        assert_eq!(t.items[2].money(None), 1000.0, "40 hours × 25");
        assert_eq!(t.items[2].arm, CostArm::Shared);
        assert_eq!(t.items[3].category, "'=evil", "formula-like text is neutralised");
        assert!(csv.contains("\"materials, printed\""));
    }
}
