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

/// Speaker labels to roles: first the labels given exactly ([`RoleMap::with`]), then the kind
/// words it knows inside a label (主播, 助播, 客服, 嘉宾, 弹幕, 观众, 买家, host, viewer,
/// comment, …: `主播` in `主播小美`), else [`Role::Unknown`].
///
/// ```
/// use huashu::{Role, transcript::RoleMap};
/// let roles = RoleMap::default().with("spk_0", Role::Host);
/// assert_eq!(roles.role(Some("spk_0")), Role::Host);
/// assert_eq!(roles.role(Some("弹幕")), Role::Viewer);
/// assert_eq!(roles.role(Some("张三")), Role::Unknown);
/// ```
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

/// The speaker a line of a chat or comment log names, when evidence at bytes `start..end` of
/// `text` lies wholly in one line that starts with a speaker label and a colon (`买家：`,
/// `主播:`, `「小陈」：…吗？`): its role and the label's byte span. A label is at most 12
/// characters; a bracketed nickname (`「…」`, `【…】`) whose name the map does not know is a
/// viewer's when the line asks a question (comment streams show viewers so; a bracketed
/// product name heading a claim is no speaker); a plain label counts only when the map knows
/// it, and never an address to the audience (`各位观众：`, `家人们：`).
pub(crate) fn line_speaker(
    roles: &RoleMap,
    text: &str,
    start: usize,
    end: usize,
) -> Option<(Role, std::ops::Range<usize>)> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if end > line_end {
        return None;
    }
    let line = &text[line_start..line_end];
    let (colon, _) = line
        .char_indices()
        .take(16)
        .find(|&(_, c)| c == '：' || c == ':')?;
    if line_start + colon >= start {
        return None;
    }
    let raw = &line[..colon];
    let label = raw.trim();
    let lead = raw.len() - raw.trim_start().len();
    if label.is_empty() || label.chars().count() > 12 {
        return None;
    }
    let span = line_start + lead..line_start + lead + label.len();
    let bracketed = ["「」", "【】", "[]", "『』"].iter().find_map(|pair| {
        let mut p = pair.chars();
        let (open, close) = (p.next()?, p.next()?);
        label.strip_prefix(open)?.strip_suffix(close)
    });
    let asks = line.contains(['？', '?']) || line.contains('吗');
    let role = match bracketed {
        Some(name) => match roles.role(Some(name)) {
            Role::Unknown if asks => Role::Viewer,
            Role::Unknown => return None,
            r => r,
        },
        None if ["们", "各位", "大家"].iter().any(|w| label.contains(w)) => return None,
        None => match roles.role(Some(label)) {
            Role::Unknown => return None,
            r => r,
        },
    };
    Some((role, span))
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
    fn line_labels() {
        let m = RoleMap::default();
        fn at<'t>(m: &RoleMap, text: &'t str, what: &str) -> Option<(Role, &'t str)> {
            let s = text.find(what).unwrap();
            line_speaker(m, text, s, s + what.len()).map(|(r, span)| (r, &text[span]))
        }
        let chat = "买家：能原价回收吗\n卖家：不能哈\n「小陈」：加我微信吗\n各位观众：加我微信";
        assert_eq!(at(&m, chat, "原价回收"), Some((Role::Viewer, "买家")));
        assert_eq!(at(&m, chat, "不能"), Some((Role::Host, "卖家")));
        assert_eq!(at(&m, chat, "加我微信"), Some((Role::Viewer, "「小陈」")));
        let last = chat.rfind("加我微信").unwrap();
        assert_eq!(line_speaker(&m, chat, last, last + 12), None);
        // No label, a time, evidence across lines.
        assert_eq!(at(&m, "今天原价回收", "原价回收"), None);
        assert_eq!(at(&m, "「转骨方」：三个月长高", "长高"), None);
        assert_eq!(at(&m, "12:30 原价回收", "原价回收"), None);
        let two = "买家：原价\n回收吗";
        assert_eq!(line_speaker(&m, two, 9, two.len()), None);
    }

    #[test]
    fn evidence_across_roles_is_the_sellers() {
        assert_eq!(combined([Role::Viewer, Role::Viewer]), Role::Viewer);
        assert_eq!(combined([Role::Viewer, Role::Host]), Role::Host);
        assert_eq!(combined([Role::Unknown, Role::Viewer]), Role::Unknown);
        assert_eq!(combined([]), Role::Unknown);
    }
}
