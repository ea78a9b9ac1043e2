//! One SCIM resource type's store: resources in creation order (so paging by `startIndex`
//! is O(page), not O(N)), a unique-attribute index for `eq` filters and conflict checks,
//! and a small cache of filtered/sorted id lists so paging through a query does not redo
//! the scan for every page.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::filter::Filter;
use super::projection::compare_for_sort;

pub type Resource = Map<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScimKind {
    Users,
    Groups,
    ServicePrincipals,
}

impl ScimKind {
    pub fn path_segment(self) -> &'static str {
        match self {
            ScimKind::Users => "Users",
            ScimKind::Groups => "Groups",
            ScimKind::ServicePrincipals => "ServicePrincipals",
        }
    }

    pub fn resource_type(self) -> &'static str {
        match self {
            ScimKind::Users => "User",
            ScimKind::Groups => "Group",
            ScimKind::ServicePrincipals => "ServicePrincipal",
        }
    }

    pub fn schema_urn(self) -> &'static str {
        match self {
            ScimKind::Users => "urn:ietf:params:scim:schemas:core:2.0:User",
            ScimKind::Groups => "urn:ietf:params:scim:schemas:core:2.0:Group",
            ScimKind::ServicePrincipals => "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal",
        }
    }

    /// The attribute that must be unique across the account (case-insensitively).
    pub fn unique_attribute(self) -> &'static str {
        match self {
            ScimKind::Users => "userName",
            ScimKind::Groups => "displayName",
            ScimKind::ServicePrincipals => "applicationId",
        }
    }
}

/// The ids a list request covers, in order.
pub enum Selection {
    /// Every resource in creation order; read by position without materialising ids.
    All(usize),
    Ids(Arc<Vec<String>>),
}

impl Selection {
    pub fn len(&self) -> usize {
        match self {
            Selection::All(len) => *len,
            Selection::Ids(ids) => ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, PartialEq, Eq)]
struct QueryKey {
    filter: Option<String>,
    sort_by: Option<String>,
    descending: bool,
    version: u64,
}

const CACHED_QUERIES: usize = 8;

pub struct ScimCollection {
    pub kind: ScimKind,
    items: IndexMap<String, Resource>,
    unique: std::collections::HashMap<String, String>,
    version: u64,
    query_cache: Mutex<Vec<(QueryKey, Arc<Vec<String>>)>>,
}

impl ScimCollection {
    pub fn new(kind: ScimKind) -> Self {
        Self {
            kind,
            items: IndexMap::new(),
            unique: Default::default(),
            version: 0,
            query_cache: Mutex::new(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Resource> {
        self.items.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.items.contains_key(id)
    }

    pub fn get_index(&self, index: usize) -> Option<(&String, &Resource)> {
        self.items.get_index(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Resource)> {
        self.items.iter()
    }

    /// The id holding this unique value (userName, group displayName, applicationId).
    pub fn find_unique(&self, value: &str) -> Option<&str> {
        self.unique.get(&value.to_lowercase()).map(String::as_str)
    }

    fn unique_value(&self, resource: &Resource) -> Option<String> {
        resource
            .get(self.kind.unique_attribute())
            .and_then(Value::as_str)
            .map(str::to_lowercase)
    }

    /// Whether storing `resource` under `id` would collide with another resource.
    pub fn conflicts(&self, id: &str, resource: &Resource) -> bool {
        self.unique_value(resource)
            .and_then(|value| self.unique.get(&value))
            .is_some_and(|owner| owner != id)
    }

    /// Inserts or replaces; the caller has checked `conflicts` first.
    pub fn put(&mut self, id: String, resource: Resource) {
        if let Some(old) = self.items.get(&id)
            && let Some(old_value) = self.unique_value(old)
        {
            self.unique.remove(&old_value);
        }
        if let Some(value) = self.unique_value(&resource) {
            self.unique.insert(value, id.clone());
        }
        self.items.insert(id, resource);
        self.version += 1;
    }

    pub fn remove(&mut self, id: &str) -> Option<Resource> {
        // shift_remove keeps creation order for paging; deletes are rare next to reads.
        let removed = self.items.shift_remove(id)?;
        if let Some(value) = self.unique_value(&removed) {
            self.unique.remove(&value);
        }
        self.version += 1;
        Some(removed)
    }

    /// The ids matching `filter`, sorted by `sort_by`. `view` gives the JSON a filter sees
    /// (computed attributes such as `groups` included when the filter needs them).
    pub fn select<'a>(
        &'a self,
        filter: Option<(&str, &Filter)>,
        sort_by: Option<&str>,
        descending: bool,
        view: impl Fn(&'a str, &'a Resource) -> Cow<'a, Resource>,
    ) -> Selection {
        if filter.is_none() && sort_by.is_none() {
            return Selection::All(self.items.len());
        }
        let key = QueryKey {
            filter: filter.map(|(text, _)| text.to_owned()),
            sort_by: sort_by.map(str::to_lowercase),
            descending,
            version: self.version,
        };
        if let Some(ids) = self.cached(&key) {
            return Selection::Ids(ids);
        }
        let mut matching: Vec<(&'a String, Cow<'a, Resource>)> = match filter {
            Some((_, filter)) => self.filtered(filter, &view),
            None => self
                .items
                .iter()
                .map(|(id, resource)| (id, Cow::Borrowed(resource)))
                .collect(),
        };
        if let Some(sort_by) = sort_by {
            matching.sort_by(|(_, a), (_, b)| compare_for_sort(a, b, sort_by));
            if descending {
                matching.reverse();
            }
        }
        let ids: Arc<Vec<String>> =
            Arc::new(matching.into_iter().map(|(id, _)| id.clone()).collect());
        self.remember(key, ids.clone());
        Selection::Ids(ids)
    }

    fn filtered<'a>(
        &'a self,
        filter: &Filter,
        view: &impl Fn(&'a str, &'a Resource) -> Cow<'a, Resource>,
    ) -> Vec<(&'a String, Cow<'a, Resource>)> {
        // An equality filter on the unique attribute is answered from the index.
        if let Some(value) = filter.equality_value(self.kind.unique_attribute()) {
            return self
                .unique
                .get(&value.to_lowercase())
                .and_then(|id| self.items.get_key_value(id))
                .map(|(id, resource)| (id, view(id, resource)))
                .filter(|(_, resource)| filter.matches(resource))
                .into_iter()
                .collect();
        }
        self.items
            .iter()
            .map(|(id, resource)| (id, view(id, resource)))
            .filter(|(_, resource)| filter.matches(resource))
            .collect()
    }

    fn cached(&self, key: &QueryKey) -> Option<Arc<Vec<String>>> {
        let cache = self.query_cache.lock().ok()?;
        cache
            .iter()
            .find(|(cached, _)| cached == key)
            .map(|(_, ids)| ids.clone())
    }

    fn remember(&self, key: QueryKey, ids: Arc<Vec<String>>) {
        if let Ok(mut cache) = self.query_cache.lock() {
            cache.retain(|(cached, _)| cached.version == key.version);
            if cache.len() >= CACHED_QUERIES {
                cache.remove(0);
            }
            cache.push((key, ids));
        }
    }
}
