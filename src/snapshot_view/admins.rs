//! Who holds the account-admin role: directly, or as a (possibly nested) member of a group
//! that holds it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Account, Directory, PrincipalKind};

/// One principal with the account-admin role, and how it got it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminGrant {
    pub kind: PrincipalKind,
    pub id: String,
    pub name: String,
    pub is_active: bool,
    pub is_direct: bool,
    /// Admin groups it belongs to, directly or through nested groups, by name.
    pub via_groups: BTreeSet<String>,
}

impl Account {
    /// Every account admin, ordered by kind then name.
    pub fn account_admins(&self) -> Vec<AdminGrant> {
        let directory = self.directory();
        let groups: HashMap<&str, _> = self.groups.iter().map(|g| (g.id.as_str(), g)).collect();
        let mut grants: BTreeMap<String, AdminGrant> = BTreeMap::new();
        for user in self.users.iter().filter(|u| u.is_direct_admin) {
            grant_entry(
                &mut grants,
                &directory,
                PrincipalKind::User,
                &user.id,
                user.is_active,
            )
            .is_direct = true;
        }
        for sp in self.service_principals.iter().filter(|s| s.is_direct_admin) {
            grant_entry(
                &mut grants,
                &directory,
                PrincipalKind::ServicePrincipal,
                &sp.id,
                sp.is_active,
            )
            .is_direct = true;
        }
        let active: HashMap<&str, bool> = self
            .users
            .iter()
            .map(|u| (u.id.as_str(), u.is_active))
            .chain(
                self.service_principals
                    .iter()
                    .map(|s| (s.id.as_str(), s.is_active)),
            )
            .collect();
        for admin_group in self.groups.iter().filter(|g| g.is_direct_admin) {
            grant_entry(
                &mut grants,
                &directory,
                PrincipalKind::Group,
                &admin_group.id,
                true,
            )
            .is_direct = true;
            // Walk nested groups once each; membership cycles are possible in SCIM data.
            let mut seen = BTreeSet::from([admin_group.id.as_str()]);
            let mut pending = vec![admin_group];
            while let Some(group) = pending.pop() {
                for (member_id, member_kind) in &group.members {
                    let Some(kind) = member_kind.or_else(|| directory.kind(member_id)) else {
                        continue;
                    };
                    if member_id == &admin_group.id {
                        continue;
                    }
                    let is_active = active.get(member_id.as_str()).copied().unwrap_or(true);
                    grant_entry(&mut grants, &directory, kind, member_id, is_active)
                        .via_groups
                        .insert(admin_group.display_name.clone());
                    if kind == PrincipalKind::Group
                        && seen.insert(member_id.as_str())
                        && let Some(nested) = groups.get(member_id.as_str())
                    {
                        pending.push(nested);
                    }
                }
            }
        }
        let mut list: Vec<AdminGrant> = grants.into_values().collect();
        list.sort_by(|a, b| (a.kind, &a.name, &a.id).cmp(&(b.kind, &b.name, &b.id)));
        list
    }
}

fn grant_entry<'g>(
    grants: &'g mut BTreeMap<String, AdminGrant>,
    directory: &Directory<'_>,
    kind: PrincipalKind,
    id: &str,
    is_active: bool,
) -> &'g mut AdminGrant {
    grants.entry(id.to_owned()).or_insert_with(|| AdminGrant {
        kind,
        id: id.to_owned(),
        name: directory.name(id),
        is_active,
        is_direct: false,
        via_groups: BTreeSet::new(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn admins_come_directly_and_through_nested_groups() {
        let account = Account::from_snapshot(&json!({
            "users": [
                {"id": "1", "userName": "ana@x", "active": true, "roles": [{"value": "account_admin"}]},
                {"id": "2", "userName": "bo@x", "active": false},
                {"id": "3", "userName": "cy@x", "active": true}
            ],
            "service_principals": [
                {"id": "9", "displayName": "tf", "roles": [{"value": "account_admin"}]}
            ],
            "groups": [
                {"id": "10", "displayName": "admins", "roles": [{"value": "account_admin"}],
                 "members": [{"value": "1", "$ref": "Users/1"}, {"value": "11", "$ref": "Groups/11"}]},
                {"id": "11", "displayName": "oncall",
                 "members": [{"value": "2"}, {"value": "10", "$ref": "Groups/10"}]}
            ]
        }));
        let admins = account.account_admins();
        let summary: Vec<(&str, bool, bool, Vec<&str>)> = admins
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.is_active,
                    a.is_direct,
                    a.via_groups.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("ana@x", true, true, vec!["admins"]),
                ("bo@x", false, false, vec!["admins"]),
                ("admins", true, true, vec![]),
                ("oncall", true, false, vec!["admins"]),
                ("tf", true, true, vec![]),
            ]
        );
    }
}
