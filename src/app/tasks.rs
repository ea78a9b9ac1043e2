//! Keyed, cancellable API tasks. Starting a task with a key cancels the one before it
//! (latest wins); every result carries its generation, and results of cancelled or
//! superseded tasks are dropped before they reach `update`.

use std::collections::HashMap;

use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::columns::list_attributes;
use super::msg::{Msg, Resource, Task, TaskEvent, TaskKey, TaskOutcome};
use crate::api::{AccountClient, Call, ScimQuery};

pub struct TaskRunner {
    client: AccountClient,
    sender: mpsc::UnboundedSender<Msg>,
    running: HashMap<TaskKey, (u64, CancellationToken)>,
    generation: u64,
}

fn scim_path(resource: Resource) -> &'static str {
    match resource {
        Resource::Users => "Users",
        Resource::Groups => "Groups",
        Resource::ServicePrincipals => "ServicePrincipals",
    }
}

impl TaskRunner {
    pub fn new(client: AccountClient, sender: mpsc::UnboundedSender<Msg>) -> Self {
        Self {
            client,
            sender,
            running: HashMap::new(),
            generation: 0,
        }
    }

    /// Whether a result still belongs to the newest task of its key.
    pub fn is_current(&self, key: &TaskKey, generation: u64) -> bool {
        self.running
            .get(key)
            .is_some_and(|(current, _)| *current == generation)
    }

    /// A list finished: forget it so a late duplicate is dropped.
    pub fn finished(&mut self, key: &TaskKey, generation: u64) {
        if self.is_current(key, generation) {
            self.running.remove(key);
        }
    }

    pub fn cancel(&mut self, key: &TaskKey) {
        if let Some((_, token)) = self.running.remove(key) {
            token.cancel();
        }
    }

    /// Spawns the task and returns at once.
    pub fn start(&mut self, task: Task) {
        let key = task.key();
        self.cancel(&key);
        self.generation += 1;
        let generation = self.generation;
        let token = CancellationToken::new();
        self.running
            .insert(key.clone(), (generation, token.clone()));
        let client = self.client.clone();
        let sender = self.sender.clone();
        let send = move |outcome| {
            sender
                .send(Msg::Task(TaskEvent {
                    key: key.clone(),
                    generation,
                    outcome,
                }))
                .is_ok()
        };
        tokio::spawn(async move {
            tokio::select! {
                () = token.cancelled() => {}
                () = run(client, task, send) => {}
            }
        });
    }
}

async fn run(client: AccountClient, task: Task, send: impl Fn(TaskOutcome) -> bool) {
    match task {
        Task::List(resource) => {
            let query = ScimQuery {
                attributes: Some(list_attributes(resource).to_owned()),
                ..ScimQuery::default()
            };
            // Dropping the receiver (on cancel) stops the paging task behind it.
            let mut pages = client.stream_scim::<Value>(scim_path(resource), query);
            while let Some(page) = pages.recv().await {
                let outcome = match page {
                    Ok(page) => TaskOutcome::Page(page),
                    Err(error) => {
                        send(TaskOutcome::Failed(error));
                        return;
                    }
                };
                if !send(outcome) {
                    return;
                }
            }
            send(TaskOutcome::ListDone);
        }
        Task::Detail { resource, id } => {
            let path = client.account_path(&format!("/scim/v2/{}/{id}", scim_path(resource)));
            send(match client.json::<Value>(Call::get(path)).await {
                Ok(value) => TaskOutcome::Detail(value),
                Err(error) => TaskOutcome::Failed(error),
            });
        }
    }
}
