//! The groups pane: member counts read on demand with `m`, and a group's detail with its
//! members of each kind, parent groups and workspaces.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::DetailMode;

use crate::fixtures_account::{on_detail, on_list};
use crate::fixtures_principals::{group_detail, group_id, groups_partly_counted};
use crate::support::{draw, screen_lines, snapshot};

#[test]
fn groups_list_with_counted_and_uncounted_members() {
    let state = on_list(Resource::Groups, &groups_partly_counted());
    snapshot(
        "groups_list_counted_and_uncounted",
        "Twelve groups: the first five show their member counts (212, 3, 5, 0, 42), the rest \
         say 'm to count' instead of guessing.",
        &state,
    );
    let screen = screen_lines(&draw(&state, 80, 24));
    let row = |name: &str| {
        screen
            .iter()
            .find(|line| line.starts_with(&format!("│{name} ")))
            .unwrap_or_else(|| panic!("no row for {name}"))
            .trim_end_matches(['│', ' '])
            .to_owned()
    };
    assert!(row("data-platform-admins").ends_with("… 5"));
    assert!(row("data-engineering").ends_with("… 0"));
    assert!(row("ml-research").ends_with("… m to count"));
}

#[test]
fn group_detail_with_members_parents_and_workspaces() {
    let state = on_detail(
        Resource::Groups,
        &groups_partly_counted(),
        &group_id(2),
        "data-platform-admins",
        group_detail(),
        DetailMode::Fields,
    );
    snapshot(
        "group_detail",
        "data-platform-admins: 'Members 5 (2 users, 2 SPs, 1 group)', the members sorted users \
         first then SPs then groups, each with its kind; one parent group (admins, direct); \
         no roles; two workspaces, one ADMIN direct and one USER via group admins.",
        &state,
    );
    let detail = state.detail.as_ref().expect("a detail");
    let kinds: Vec<(Resource, String)> = detail
        .lines
        .iter()
        .filter_map(|line| line.link.clone())
        .map(|link| (link.resource, link.title))
        .collect();
    assert_eq!(
        kinds,
        [
            (Resource::Users, "Inès Moreau".to_owned()),
            (Resource::Users, "Kenji Nakamura".to_owned()),
            (Resource::ServicePrincipals, "ci-deployer".to_owned()),
            (Resource::ServicePrincipals, "terraform-account".to_owned()),
            (Resource::Groups, "unity-catalog-owners".to_owned()),
            (Resource::Groups, "admins".to_owned()),
            (Resource::Workspaces, "analytics-dev".to_owned()),
            (Resource::Workspaces, "analytics-prod".to_owned()),
        ],
        "members by kind then name, the parent, then the workspaces: each opens its object"
    );
}
