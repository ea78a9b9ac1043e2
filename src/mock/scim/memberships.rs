//! Group membership in both directions: members of each group, and the groups each
//! principal (user, service principal or group) belongs to, so that `groups` on a user and
//! cleanup on delete never scan every group.

use std::collections::{HashMap, HashSet, VecDeque};

use indexmap::IndexSet;

#[derive(Default)]
pub struct Memberships {
    members: HashMap<String, IndexSet<String>>,
    parents: HashMap<String, IndexSet<String>>,
}

impl Memberships {
    pub fn members_of(&self, group_id: &str) -> impl Iterator<Item = &String> {
        self.members.get(group_id).into_iter().flatten()
    }

    pub fn member_count(&self, group_id: &str) -> usize {
        self.members.get(group_id).map_or(0, IndexSet::len)
    }

    pub fn direct_parents(&self, member_id: &str) -> impl Iterator<Item = &String> {
        self.parents.get(member_id).into_iter().flatten()
    }

    /// Groups reached only through nesting (not direct), nearest first.
    pub fn indirect_parents(&self, member_id: &str) -> Vec<String> {
        let direct: HashSet<&String> = self.direct_parents(member_id).collect();
        // Borrowed ids: users' `groups` are computed for every user of every list page.
        let mut seen: HashSet<&String> = HashSet::new();
        let mut queue: VecDeque<&String> = direct.iter().copied().collect();
        let mut indirect = Vec::new();
        while let Some(group) = queue.pop_front() {
            for parent in self.direct_parents(group) {
                if seen.insert(parent) {
                    if !direct.contains(parent) && parent != member_id {
                        indirect.push(parent.clone());
                    }
                    queue.push_back(parent);
                }
            }
        }
        indirect
    }

    /// Whether making `member_id` a member of `group_id` would create a cycle.
    pub fn would_cycle(&self, group_id: &str, member_id: &str) -> bool {
        group_id == member_id
            || self
                .indirect_parents(group_id)
                .iter()
                .any(|g| g == member_id)
            || self.direct_parents(group_id).any(|g| g == member_id)
    }

    pub fn add(&mut self, group_id: &str, member_id: &str) {
        self.members
            .entry(group_id.to_owned())
            .or_default()
            .insert(member_id.to_owned());
        self.parents
            .entry(member_id.to_owned())
            .or_default()
            .insert(group_id.to_owned());
    }

    pub fn remove(&mut self, group_id: &str, member_id: &str) {
        if let Some(members) = self.members.get_mut(group_id) {
            members.shift_remove(member_id);
        }
        if let Some(parents) = self.parents.get_mut(member_id) {
            parents.shift_remove(group_id);
        }
    }

    /// Replaces a group's members with `new_members` (in order).
    pub fn set_members(&mut self, group_id: &str, new_members: &IndexSet<String>) {
        let old: Vec<String> = self.members_of(group_id).cloned().collect();
        for member in old.iter().filter(|m| !new_members.contains(*m)) {
            self.remove(group_id, member);
        }
        for member in new_members {
            self.add(group_id, member);
        }
        if let Some(members) = self.members.get_mut(group_id) {
            members.sort_by_key(|m| new_members.get_index_of(m).unwrap_or(usize::MAX));
        }
    }

    /// Removes a principal everywhere: from the groups it is in and, for a group, its members.
    pub fn forget(&mut self, principal_id: &str) {
        if let Some(parents) = self.parents.remove(principal_id) {
            for group in parents {
                if let Some(members) = self.members.get_mut(&group) {
                    members.shift_remove(principal_id);
                }
            }
        }
        if let Some(members) = self.members.remove(principal_id) {
            for member in members {
                if let Some(parents) = self.parents.get_mut(&member) {
                    parents.shift_remove(principal_id);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_groups_give_direct_and_indirect_parents() {
        let mut m = Memberships::default();
        m.add("eng", "data-eng");
        m.add("data-eng", "oncall");
        m.add("oncall", "ana");
        m.add("eng", "ana");
        assert_eq!(
            m.direct_parents("ana").cloned().collect::<Vec<_>>(),
            ["oncall", "eng"]
        );
        assert_eq!(m.indirect_parents("ana"), ["data-eng"]);
        assert!(m.would_cycle("oncall", "eng"));
        assert!(!m.would_cycle("eng", "bo"));
    }

    #[test]
    fn forget_removes_both_directions() {
        let mut m = Memberships::default();
        m.add("g1", "ana");
        m.add("g2", "g1");
        m.forget("g1");
        assert_eq!(m.direct_parents("ana").count(), 0);
        assert_eq!(m.member_count("g2"), 0);
    }

    #[test]
    fn set_members_replaces_in_order() {
        let mut m = Memberships::default();
        m.add("g", "a");
        m.add("g", "b");
        let new: IndexSet<String> = ["c".to_string(), "a".to_string()].into_iter().collect();
        m.set_members("g", &new);
        assert_eq!(m.members_of("g").cloned().collect::<Vec<_>>(), ["c", "a"]);
        assert_eq!(m.direct_parents("b").count(), 0);
    }
}
