//! A workflow's graph: its triggers, the jobs and crawlers they start or watch,
//! and the edges between them. Built once per run start (the run's snapshot).

use super::ids;
use super::job::JobRunState;
use super::trigger::{Condition, CrawlState, Trigger};
use super::wire_enum::wire_enum;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

wire_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum NodeKind {
        Trigger = "TRIGGER", Job = "JOB", Crawler = "CRAWLER",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Node {
    pub kind: NodeKind,
    pub name: String,
    pub unique_id: String,
    /// The trigger definition, for trigger nodes (frozen for a run's snapshot).
    pub trigger: Option<Arc<Trigger>>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    /// (source, destination) pairs: trigger → action, watched node → conditional trigger.
    pub edges: Vec<(usize, usize)>,
    /// For each node: the trigger nodes whose predicate watches it.
    pub watchers: Vec<Vec<usize>>,
    /// For each trigger node: the job and crawler nodes it starts.
    pub actions: Vec<Vec<usize>>,
    /// Derived from the nodes on first use (so also for graphs read back from a journal).
    #[serde(skip)]
    lookup: OnceLock<Lookup>,
    /// See [`Graph::content_id`].
    #[serde(skip)]
    content_id: OnceLock<String>,
}

/// Equal graphs have equal nodes and edges (the lookup is derived from them).
impl PartialEq for Graph {
    fn eq(&self, other: &Graph) -> bool {
        self.nodes == other.nodes
            && self.edges == other.edges
            && self.watchers == other.watchers
            && self.actions == other.actions
    }
}

/// One condition of a trigger node's predicate: the node it watches and the state that node must end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    pub node: usize,
    pub state: EndState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndState {
    Job(JobRunState),
    Crawl(CrawlState),
}

#[derive(Debug, Clone, Default)]
struct Lookup {
    /// Job and crawler nodes by name, per kind.
    jobs: HashMap<String, usize>,
    crawlers: HashMap<String, usize>,
    /// For each node: its predicate's conditions (trigger nodes), ordered by the node they watch.
    conditions: Vec<Vec<Watch>>,
}

impl Lookup {
    fn new(nodes: &[Node]) -> Lookup {
        let named = |kind: NodeKind| -> HashMap<String, usize> {
            nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind == kind)
                .map(|(i, n)| (n.name.clone(), i))
                .collect()
        };
        let (jobs, crawlers) = (named(NodeKind::Job), named(NodeKind::Crawler));
        let conditions = nodes
            .iter()
            .map(|n| {
                // `Graph::build` adds a node for every condition, so none is left out here.
                let mut watches: Vec<Watch> = n
                    .trigger
                    .iter()
                    .flat_map(|t| t.predicate.iter().flat_map(|p| &p.conditions))
                    .filter_map(|c| match c {
                        Condition::Job { name, state } => jobs.get(name).map(|&node| Watch {
                            node,
                            state: EndState::Job(*state),
                        }),
                        Condition::Crawler { name, state } => crawlers.get(name).map(|&node| Watch {
                            node,
                            state: EndState::Crawl(*state),
                        }),
                    })
                    .collect();
                watches.sort_by_key(|w| w.node);
                watches
            })
            .collect();
        Lookup {
            jobs,
            crawlers,
            conditions,
        }
    }
}

/// The job and crawler nodes a trigger starts or watches (with repeats).
fn named_nodes(t: &Trigger) -> impl Iterator<Item = (NodeKind, &str)> {
    let started = t.actions.iter().flat_map(|a| {
        let job = a.job_name.iter().map(|j| (NodeKind::Job, j.as_str()));
        job.chain(a.crawler_name.iter().map(|c| (NodeKind::Crawler, c.as_str())))
    });
    let watched = t.predicate.iter().flat_map(|p| &p.conditions).map(|c| match c {
        Condition::Job { name, .. } => (NodeKind::Job, name.as_str()),
        Condition::Crawler { name, .. } => (NodeKind::Crawler, name.as_str()),
    });
    started.chain(watched)
}

/// How many nodes the graph of these triggers has: the triggers, and the jobs and crawlers they name.
pub fn node_count<'t>(triggers: impl IntoIterator<Item = &'t Trigger>) -> usize {
    let mut count = 0;
    let mut others: BTreeSet<(NodeKind, &str)> = BTreeSet::new();
    for t in triggers {
        count += 1;
        others.extend(named_nodes(t));
    }
    count + others.len()
}

impl Graph {
    /// A hash of the graph's content: equal graphs have the same id, so that the
    /// journal can hold one copy for the many runs that share it.
    pub fn content_id(&self) -> &str {
        self.content_id.get_or_init(|| {
            use sha2::{Digest, Sha256};
            let bytes = serde_json::to_vec(self).expect("a graph always serializes");
            Sha256::digest(&bytes)[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
    }

    /// The graph of `workflow`, given the triggers that belong to it.
    pub fn build<'t>(
        account: &str,
        region: &str,
        workflow: &str,
        triggers: impl IntoIterator<Item = &'t Trigger>,
    ) -> Graph {
        let mut triggers: Vec<&Trigger> = triggers.into_iter().collect();
        triggers.sort_by(|a, b| a.name.cmp(&b.name));
        let others: BTreeSet<(NodeKind, &str)> = triggers.iter().flat_map(|t| named_nodes(t)).collect();
        let node = |kind: NodeKind, name: &str, trigger: Option<Arc<Trigger>>| Node {
            kind,
            name: name.to_string(),
            unique_id: ids::node_id(account, region, workflow, kind.as_str(), name),
            trigger,
        };
        let mut nodes: Vec<Node> = triggers
            .iter()
            .map(|t| node(NodeKind::Trigger, &t.name, Some(Arc::new((*t).clone()))))
            .collect();
        nodes.extend(others.iter().map(|(kind, name)| node(*kind, name, None)));
        let index: BTreeMap<(NodeKind, &str), usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| ((n.kind, n.name.as_str()), i))
            .collect();

        let mut graph = Graph {
            watchers: vec![Vec::new(); nodes.len()],
            actions: vec![Vec::new(); nodes.len()],
            edges: Vec::new(),
            nodes: Vec::new(),
            lookup: OnceLock::new(),
            content_id: OnceLock::new(),
        };
        for (t_index, t) in triggers.iter().enumerate() {
            for a in &t.actions {
                let target = match (&a.job_name, &a.crawler_name) {
                    (Some(j), _) => index[&(NodeKind::Job, j.as_str())],
                    (None, Some(c)) => index[&(NodeKind::Crawler, c.as_str())],
                    (None, None) => continue,
                };
                if !graph.actions[t_index].contains(&target) {
                    graph.actions[t_index].push(target);
                    graph.edges.push((t_index, target));
                }
            }
            for c in t.predicate.iter().flat_map(|p| &p.conditions) {
                let source = match c {
                    Condition::Job { name, .. } => index[&(NodeKind::Job, name.as_str())],
                    Condition::Crawler { name, .. } => index[&(NodeKind::Crawler, name.as_str())],
                };
                if !graph.watchers[source].contains(&t_index) {
                    graph.watchers[source].push(t_index);
                    graph.edges.push((source, t_index));
                }
            }
        }
        graph.nodes = nodes;
        graph
    }

    pub fn find(&self, unique_id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.unique_id == unique_id)
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| Lookup::new(&self.nodes))
    }

    /// The job or crawler node of that name.
    pub fn find_named(&self, kind: NodeKind, name: &str) -> Option<usize> {
        match kind {
            NodeKind::Job => self.lookup().jobs.get(name).copied(),
            NodeKind::Crawler => self.lookup().crawlers.get(name).copied(),
            NodeKind::Trigger => self.nodes.iter().position(|n| n.kind == kind && n.name == name),
        }
    }

    /// The conditions of a trigger node's predicate, ordered by the node they watch (none for other nodes).
    pub fn conditions(&self, trigger_node: usize) -> &[Watch] {
        &self.lookup().conditions[trigger_node]
    }

    /// The trigger node that starts a run (ON_DEMAND, SCHEDULED or EVENT), if any.
    pub fn start_trigger(&self) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.trigger.as_ref().is_some_and(|t| t.trigger_type.starts_workflow()))
    }

    /// The job and crawler nodes that run after `node` finishes, directly.
    pub fn successors(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.watchers[node]
            .iter()
            .flat_map(|t| self.actions[*t].iter().copied())
    }

    /// `from` and every job or crawler node reachable from it through triggers.
    pub fn downstream(&self, from: usize) -> BTreeSet<usize> {
        let mut seen = BTreeSet::from([from]);
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for next in self.successors(n) {
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::job::JobRunState;
    use crate::engine::trigger::{Action, Logical, Predicate, TriggerState, TriggerType};

    pub fn trigger(name: &str, watches: &[&str], logical: Option<Logical>, starts: &[&str]) -> Trigger {
        let predicate = (!watches.is_empty()).then(|| Predicate {
            logical,
            conditions: watches
                .iter()
                .map(|w| match w.strip_prefix("crawler:") {
                    Some(c) => Condition::Crawler {
                        name: c.into(),
                        state: crate::engine::trigger::CrawlState::Succeeded,
                    },
                    None => Condition::Job {
                        name: (*w).into(),
                        state: JobRunState::Succeeded,
                    },
                })
                .collect(),
        });
        Trigger {
            name: name.into(),
            id: name.into(),
            workflow_name: Some("W".into()),
            trigger_type: if watches.is_empty() {
                TriggerType::OnDemand
            } else {
                TriggerType::Conditional
            },
            state: TriggerState::Activated,
            description: None,
            schedule: None,
            actions: starts
                .iter()
                .map(|s| match s.strip_prefix("crawler:") {
                    Some(c) => Action {
                        crawler_name: Some(c.into()),
                        ..Action::default()
                    },
                    None => Action {
                        job_name: Some((*s).into()),
                        ..Action::default()
                    },
                })
                .collect(),
            predicate,
            event_batching: None,
            tags: Default::default(),
        }
    }

    /// The AWS guide's W1: T1 → J1; J1 → T2 → J2, J1 → T3 → J3; J2 → T4 → J4; J3 → T5 → J5.
    pub fn w1() -> Graph {
        let ts = [
            trigger("T1", &[], None, &["J1"]),
            trigger("T2", &["J1"], None, &["J2"]),
            trigger("T3", &["J1"], None, &["J3"]),
            trigger("T4", &["J2"], None, &["J4"]),
            trigger("T5", &["J3"], None, &["J5"]),
        ];
        Graph::build("1", "r", "W", ts.iter())
    }

    pub fn idx(g: &Graph, name: &str) -> usize {
        g.nodes.iter().position(|n| n.name == name).unwrap()
    }

    #[test]
    fn w1_shape() {
        let g = w1();
        assert_eq!(g.nodes.len(), 10);
        assert_eq!(g.edges.len(), 9);
        assert_eq!(g.start_trigger(), Some(idx(&g, "T1")));
        let down: Vec<&str> = g
            .downstream(idx(&g, "J2"))
            .iter()
            .map(|i| g.nodes[*i].name.as_str())
            .collect();
        assert_eq!(down, vec!["J2", "J4"]);
        assert_eq!(g.downstream(idx(&g, "J1")).len(), 5);
        assert_eq!(g.find(&g.nodes[3].unique_id), Some(3));
    }

    #[test]
    fn conditions_by_node_and_node_count() {
        let ts = [
            trigger("T1", &[], None, &["A", "B"]),
            trigger("T2", &["B", "crawler:C", "A"], Some(Logical::And), &["D"]),
        ];
        let g = Graph::build("1", "r", "W", ts.iter());
        let watched: Vec<usize> = g.conditions(idx(&g, "T2")).iter().map(|w| w.node).collect();
        assert_eq!(watched, [idx(&g, "A"), idx(&g, "B"), idx(&g, "C")]);
        assert_eq!(
            g.conditions(idx(&g, "T2"))[2].state,
            EndState::Crawl(CrawlState::Succeeded)
        );
        assert!(g.conditions(idx(&g, "T1")).is_empty());
        assert_eq!(g.watchers[idx(&g, "A")], [idx(&g, "T2")]);
        assert!(g.watchers[idx(&g, "D")].is_empty());
        assert_eq!(g.find_named(NodeKind::Crawler, "C"), Some(idx(&g, "C")));
        assert_eq!(g.find_named(NodeKind::Job, "C"), None);
        assert_eq!(node_count(ts.iter()), g.nodes.len());
        assert_eq!(node_count(ts.iter()), 6);
    }

    #[test]
    fn node_ids_stable_across_builds() {
        assert_eq!(
            w1().nodes.iter().map(|n| n.unique_id.clone()).collect::<Vec<_>>(),
            w1().nodes.iter().map(|n| n.unique_id.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn cycles_terminate() {
        let ts = [
            trigger("T1", &[], None, &["A"]),
            trigger("T2", &["A"], None, &["B"]),
            trigger("T3", &["B"], None, &["A"]),
        ];
        let g = Graph::build("1", "r", "W", ts.iter());
        assert_eq!(g.downstream(idx(&g, "A")).len(), 2);
    }
}
