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

/// The speakers the lines of one text name, looked up for each piece of evidence in it.
///
/// A line of a chat or comment log may start with a speaker label and a colon (`买家：`,
/// `主播:`, `「小陈」：…吗？`). Evidence wholly in such a line, after the colon, is that
/// speaker's: [`LineSpeakers::speaker`] gives the role and the label's byte span. A label is at
/// most 12 characters; a bracketed nickname (`「…」`, `【…】`) whose name the map does not know
/// is a viewer's when the line asks a question (comment streams show viewers so; a bracketed
/// product name heading a claim is no speaker); a plain label counts only when the map knows
/// it, and never an address to the audience (`各位观众：`, `家人们：`).
///
/// The line breaks are found once, on the first lookup, and each line's label is read once:
/// the cost over a text is linear whatever the count of evidence in one long line.
pub(crate) struct LineSpeakers<'t> {
    roles: &'t RoleMap,
    text: &'t str,
    /// Byte offsets of the text's line breaks, found on the first lookup.
    breaks: Option<Vec<usize>>,
    /// Each line's label, by line number, once read.
    labels: rustc_hash::FxHashMap<usize, Option<LineLabel>>,
}

/// The label a line starts with: its role, where its colon is, and its byte span (offsets in
/// the whole text).
#[derive(Clone)]
struct LineLabel {
    role: Role,
    colon: usize,
    span: std::ops::Range<usize>,
}

impl<'t> LineSpeakers<'t> {
    /// The lines of `text`, their labels read through `roles`.
    pub(crate) fn new(roles: &'t RoleMap, text: &'t str) -> Self {
        LineSpeakers {
            roles,
            text,
            breaks: None,
            labels: rustc_hash::FxHashMap::default(),
        }
    }

    /// The speaker of evidence at bytes `start..end` of the text, when it lies wholly in one
    /// labelled line after the label's colon: its role and the label's byte span.
    pub(crate) fn speaker(
        &mut self,
        start: usize,
        end: usize,
    ) -> Option<(Role, std::ops::Range<usize>)> {
        let text = self.text;
        let breaks = self
            .breaks
            .get_or_insert_with(|| text.match_indices('\n').map(|(i, _)| i).collect());
        let line = breaks.partition_point(|&b| b < start);
        let line_start = if line == 0 { 0 } else { breaks[line - 1] + 1 };
        let line_end = breaks.get(line).copied().unwrap_or(text.len());
        if end > line_end {
            return None;
        }
        let roles = self.roles;
        let label = self
            .labels
            .entry(line)
            .or_insert_with(|| line_label(roles, text, line_start, line_end))
            .as_ref()?;
        (label.colon < start).then(|| (label.role, label.span.clone()))
    }
}

/// The label that the line at bytes `line_start..line_end` of `text` starts with, if any.
fn line_label(
    roles: &RoleMap,
    text: &str,
    line_start: usize,
    line_end: usize,
) -> Option<LineLabel> {
    let line = &text[line_start..line_end];
    let (colon, _) = line
        .char_indices()
        .take(16)
        .find(|&(_, c)| c == '：' || c == ':')?;
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
    let role = match bracketed {
        Some(name) => match roles.role(Some(name)) {
            Role::Unknown if line.contains(['？', '?']) || line.contains('吗') => Role::Viewer,
            Role::Unknown => return None,
            r => r,
        },
        None if ["们", "各位", "大家"].iter().any(|w| label.contains(w)) => return None,
        None => match roles.role(Some(label)) {
            Role::Unknown => return None,
            r => r,
        },
    };
    Some(LineLabel {
        role,
        colon: line_start + colon,
        span,
    })
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
        fn line_speaker(
            m: &RoleMap,
            text: &str,
            start: usize,
            end: usize,
        ) -> Option<(Role, std::ops::Range<usize>)> {
            LineSpeakers::new(m, text).speaker(start, end)
        }
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
    fn one_index_serves_every_lookup_in_any_order() {
        let m = RoleMap::default();
        let chat = "买家：能原价回收吗\n卖家：不能哈\n「小陈」：加我微信吗\n加我微信";
        let at = |what: &str, nth: usize| {
            let s = chat.match_indices(what).nth(nth).unwrap().0;
            (s, s + what.len())
        };
        let mut lines = LineSpeakers::new(&m, chat);
        let look = |lines: &mut LineSpeakers<'_>, (s, e): (usize, usize)| {
            lines.speaker(s, e).map(|(r, span)| (r, &chat[span]))
        };
        // Later lines first, the same line twice, a label's own span, evidence across lines.
        assert_eq!(look(&mut lines, at("加我微信", 1)), None);
        assert_eq!(
            look(&mut lines, at("加我微信", 0)),
            Some((Role::Viewer, "「小陈」"))
        );
        assert_eq!(
            look(&mut lines, at("原价", 0)),
            Some((Role::Viewer, "买家"))
        );
        assert_eq!(
            look(&mut lines, at("回收", 0)),
            Some((Role::Viewer, "买家"))
        );
        assert_eq!(look(&mut lines, at("买家", 0)), None);
        assert_eq!(look(&mut lines, at("不能", 0)), Some((Role::Host, "卖家")));
        let across = (at("回收", 0).0, at("不能", 0).1);
        assert_eq!(look(&mut lines, across), None);
    }

    #[test]
    fn evidence_across_roles_is_the_sellers() {
        assert_eq!(combined([Role::Viewer, Role::Viewer]), Role::Viewer);
        assert_eq!(combined([Role::Viewer, Role::Host]), Role::Host);
        assert_eq!(combined([Role::Unknown, Role::Viewer]), Role::Unknown);
        assert_eq!(combined([]), Role::Unknown);
    }
}
