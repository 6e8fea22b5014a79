//! Speaker labels to roles: who in a transcript speaks for the seller, and whose words are a
//! viewer's.
//!
//! Recognizers, comment streams and subtitle files label speakers in their own ways (`主播`,
//! `spk_0`, `<v 助播小王>`, `弹幕`, a viewer's nickname). A [`RoleMap`] turns a label into a
//! [`Role`]: first the labels it was given exactly ([`RoleMap::with`]), then the kind words it
//! knows inside a label (`主播` in `主播小美`, `comment` in `viewer-comment`), else
//! [`Role::Unknown`]. A platform whose recognizer says `spk_0` for the host maps it:
//!
//! ```
//! use huashu::{Role, transcript::RoleMap};
//! let roles = RoleMap::default().with("spk_0", Role::Host).with("spk_1", Role::Viewer);
//! assert_eq!(roles.role(Some("spk_0")), Role::Host);
//! assert_eq!(roles.role(Some("主播小美")), Role::Host);
//! assert_eq!(roles.role(Some("弹幕")), Role::Viewer);
//! assert_eq!(roles.role(Some("张三")), Role::Unknown);
//! assert_eq!(roles.role(None), Role::Unknown);
//! ```

use std::collections::HashMap;

use crate::report::Role;

/// Kind words found inside labels, seller's side first (`主播助理` is staff, checked before
/// `主播`). Latin words are matched case-insensitively.
const KINDS: &[(&str, Role)] = &[
    ("助播", Role::CoHost),
    ("副播", Role::CoHost),
    ("助理", Role::CoHost),
    ("场控", Role::CoHost),
    ("客服", Role::CoHost),
    ("co-host", Role::CoHost),
    ("cohost", Role::CoHost),
    ("co_host", Role::CoHost),
    ("assistant", Role::CoHost),
    ("staff", Role::CoHost),
    ("嘉宾", Role::Guest),
    ("guest", Role::Guest),
    ("主播", Role::Host),
    ("主持", Role::Host),
    ("卖家", Role::Host),
    ("商家", Role::Host),
    ("店主", Role::Host),
    ("host", Role::Host),
    ("anchor", Role::Host),
    ("streamer", Role::Host),
    ("seller", Role::Host),
    ("弹幕", Role::Viewer),
    ("评论", Role::Viewer),
    ("观众", Role::Viewer),
    ("网友", Role::Viewer),
    ("粉丝", Role::Viewer),
    ("买家", Role::Viewer),
    ("顾客", Role::Viewer),
    ("连麦", Role::Viewer),
    ("viewer", Role::Viewer),
    ("comment", Role::Viewer),
    ("audience", Role::Viewer),
    ("danmaku", Role::Viewer),
    ("buyer", Role::Viewer),
    ("customer", Role::Viewer),
    ("caller", Role::Viewer),
];

/// Speaker labels to roles; see the [module docs](self). The default knows the usual kind
/// words (主播, 助播, 客服, 嘉宾, 弹幕, 观众, 买家, host, viewer, comment, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleMap {
    exact: HashMap<String, Role>,
    /// Whether kind words inside labels are used (default: yes).
    no_kinds: bool,
}

impl RoleMap {
    /// A map that knows only the labels given with [`with`](Self::with), not the kind words.
    pub fn exact_only() -> RoleMap {
        RoleMap {
            exact: HashMap::new(),
            no_kinds: true,
        }
    }

    /// Maps `label` (as the source spells it) to `role`, before any kind word.
    pub fn with(mut self, label: impl Into<String>, role: Role) -> RoleMap {
        self.exact.insert(label.into(), role);
        self
    }

    /// The role of a segment's speaker label.
    pub fn role(&self, label: Option<&str>) -> Role {
        let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
            return Role::Unknown;
        };
        if let Some(r) = self.exact.get(label) {
            return *r;
        }
        if self.no_kinds {
            return Role::Unknown;
        }
        let lower = label.to_lowercase();
        KINDS
            .iter()
            .find(|(word, _)| lower.contains(word))
            .map_or(Role::Unknown, |(_, r)| *r)
    }
}

/// The role of evidence spanning segments of `roles`: theirs when they agree, else the seller's
/// side when any of them is (the seller completed it), else unknown.
pub(crate) fn combined(roles: impl IntoIterator<Item = Role>) -> Role {
    let mut out: Option<Role> = None;
    let mut seller = None;
    for r in roles {
        if r.is_seller() && seller.is_none() {
            seller = Some(r);
        }
        out = match out {
            None => Some(r),
            Some(o) if o == r => Some(o),
            Some(_) => Some(Role::Unknown),
        };
    }
    match out {
        Some(Role::Unknown) | None => seller.unwrap_or(Role::Unknown),
        Some(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_words_inside_labels() {
        let m = RoleMap::default();
        assert_eq!(m.role(Some("主播助理小王")), Role::CoHost);
        assert_eq!(m.role(Some("Host")), Role::Host);
        assert_eq!(m.role(Some("viewer-comment")), Role::Viewer);
        assert_eq!(m.role(Some("  ")), Role::Unknown);
        assert_eq!(RoleMap::exact_only().role(Some("主播")), Role::Unknown);
    }

    #[test]
    fn evidence_across_roles_is_the_sellers() {
        assert_eq!(combined([Role::Viewer, Role::Viewer]), Role::Viewer);
        assert_eq!(combined([Role::Viewer, Role::Host]), Role::Host);
        assert_eq!(combined([Role::Unknown, Role::Viewer]), Role::Unknown);
        assert_eq!(combined([]), Role::Unknown);
    }
}
