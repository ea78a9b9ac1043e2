//! Keyed, cancellable API tasks. Starting a task with a key cancels the one before it
//! (latest wins); every result carries its generation, and results of cancelled or
//! superseded tasks are dropped before they reach `update`.

use std::collections::HashMap;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::load;
use super::msg::{Msg, Task, TaskEvent, TaskKey, TaskOutcome};
use crate::api::AccountClient;

pub struct TaskRunner {
    client: AccountClient,
    sender: mpsc::UnboundedSender<Msg>,
    running: HashMap<TaskKey, (u64, CancellationToken)>,
    generation: u64,
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

    /// When the access token expires (never waits).
    pub fn token_expiry(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.client.token_source().expires_at()
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
        Task::List { resource, filter } => load::lists::run(&client, resource, filter, &send).await,
        Task::CountMembers(ids) => load::lists::count_members(&client, ids, &send).await,
        Task::Resolve { name } => {
            send(TaskOutcome::Resolved(
                load::edits::resolve(&client, &name).await,
            ));
        }
        Task::Apply { plan, base, actor } => {
            send(load::edits::apply(&client, &plan, &base, &actor).await);
        }
        Task::Detail { resource, id } => {
            send(match load::details::load(&client, resource, &id).await {
                Ok(value) => TaskOutcome::Detail(value),
                Err(error) => TaskOutcome::Failed(error),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::api::{ClientConfig, StaticToken};
    use crate::mock::{MockConfig, MockServer};

    use crate::app::msg::Resource;

    const USERS: TaskKey = TaskKey::List(Resource::Users);

    fn users_task() -> Task {
        Task::List {
            resource: Resource::Users,
            filter: None,
        }
    }

    async fn start_runner() -> (MockServer, TaskRunner, mpsc::UnboundedReceiver<Msg>) {
        let server = MockServer::start(MockConfig::default())
            .await
            .expect("the fake starts");
        let client = AccountClient::new(
            ClientConfig::new(&server.host, &server.account_id),
            Arc::new(StaticToken::new(server.admin_token.clone())),
        )
        .expect("the client builds");
        let (sender, receiver) = mpsc::unbounded_channel();
        (server, TaskRunner::new(client, sender), receiver)
    }

    async fn next_event(receiver: &mut mpsc::UnboundedReceiver<Msg>) -> TaskEvent {
        let msg = tokio::time::timeout(Duration::from_secs(20), receiver.recv())
            .await
            .expect("a task reports in time")
            .expect("the channel stays open");
        match msg {
            Msg::Task(event) => event,
            other => panic!("only task events are sent: {other:?}"),
        }
    }

    /// Reads events until the list of `generation` is done, as the app loop would: each one
    /// is checked with `is_current` on arrival. Returns the stale events and the current
    /// list's rows.
    async fn drain_until_done(
        runner: &mut TaskRunner,
        receiver: &mut mpsc::UnboundedReceiver<Msg>,
        generation: u64,
    ) -> (Vec<TaskEvent>, usize) {
        let mut stale = Vec::new();
        let mut rows = 0;
        loop {
            let event = next_event(receiver).await;
            if !runner.is_current(&event.key, event.generation) {
                assert_ne!(event.generation, generation, "the newest task is current");
                stale.push(event);
                continue;
            }
            assert_eq!(event.generation, generation);
            match event.outcome {
                TaskOutcome::Page(page) => {
                    rows += page.items.len();
                    assert_eq!(page.delivered, rows);
                }
                TaskOutcome::ListDone => {
                    runner.finished(&event.key, event.generation);
                    return (stale, rows);
                }
                other => panic!("unexpected outcome {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn starting_a_key_again_supersedes_the_older_task() {
        let (_server, mut runner, mut receiver) = start_runner().await;
        runner.start(users_task());
        assert!(runner.is_current(&USERS, 1));
        runner.start(users_task());
        assert!(
            !runner.is_current(&USERS, 1),
            "the first start is superseded"
        );
        assert!(runner.is_current(&USERS, 2));
        assert!(!runner.is_current(&TaskKey::List(Resource::Groups), 2));

        let (stale, rows) = drain_until_done(&mut runner, &mut receiver, 2).await;
        assert!(rows > 0, "the demo account has users");
        assert!(stale.iter().all(|event| event.generation == 1));
        // Finished: a late duplicate of the last result is not current either.
        assert!(!runner.is_current(&USERS, 2));
    }

    #[tokio::test]
    async fn queued_results_of_a_superseded_task_are_stale() {
        let (_server, mut runner, mut receiver) = start_runner().await;
        runner.start(users_task());
        // The first page of generation 1 is already on the channel when the user refreshes.
        let early = next_event(&mut receiver).await;
        assert_eq!((early.key.clone(), early.generation), (USERS, 1));
        assert!(matches!(early.outcome, TaskOutcome::Page(_)));
        runner.start(users_task());
        assert!(!runner.is_current(&early.key, early.generation));

        let (stale, rows) = drain_until_done(&mut runner, &mut receiver, 2).await;
        assert!(rows > 0);
        assert!(stale.iter().all(|event| event.generation == 1));
    }

    #[tokio::test]
    async fn cancel_leaves_nothing_current() {
        let (_server, mut runner, mut receiver) = start_runner().await;
        runner.start(users_task());
        let early = next_event(&mut receiver).await;
        let TaskOutcome::Page(page) = &early.outcome else {
            panic!("a first page: {:?}", early.outcome);
        };
        let id = page.items[0]["id"]
            .as_str()
            .expect("users have ids")
            .to_owned();
        runner.cancel(&USERS);
        assert!(!runner.is_current(&USERS, early.generation));
        // Cancelling what is not running is harmless.
        runner.cancel(&USERS);
        runner.cancel(&TaskKey::Detail);

        let detail_key = TaskKey::Detail;
        runner.start(Task::Detail {
            resource: Resource::Users,
            id: id.clone(),
        });
        let detail_generation = 2;
        assert!(runner.is_current(&detail_key, detail_generation));
        runner.cancel(&detail_key);
        assert!(!runner.is_current(&detail_key, detail_generation));

        // Whatever still arrives (the rest of the users list, the detail if it won the race)
        // is stale.
        while let Ok(Some(Msg::Task(event))) =
            tokio::time::timeout(Duration::from_millis(300), receiver.recv()).await
        {
            assert!(
                !runner.is_current(&event.key, event.generation),
                "{:?} {} after cancel",
                event.key,
                event.generation
            );
        }

        // A new start of the same key is current and delivers.
        runner.start(Task::Detail {
            resource: Resource::Users,
            id: id.clone(),
        });
        let event = loop {
            let event = next_event(&mut receiver).await;
            if runner.is_current(&event.key, event.generation) {
                break event;
            }
            assert_ne!(event.generation, 3, "the new start is current");
        };
        assert_eq!(event.generation, 3);
        match event.outcome {
            TaskOutcome::Detail(value) => assert_eq!(value["object"]["id"], id.as_str()),
            other => panic!("a detail: {other:?}"),
        }
    }
}
