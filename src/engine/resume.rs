//! Which nodes a resumed run restarts, re-runs and copies: a pure function of the
//! original run's graph, which of its nodes were attempted, and the selected node ids.

use super::error::{Error, Result};
use super::graph::{Graph, NodeKind};
use std::collections::BTreeSet;

#[derive(Debug, PartialEq, Eq)]
pub struct ResumePlan {
    /// Nodes started at once, in the order selected: the selection without
    /// duplicates and without nodes downstream of another selected node.
    pub restart: Vec<usize>,
    /// Every node that runs again: the restarted ones and all downstream of them.
    /// The other job and crawler nodes are copied from the original run.
    pub rerun: BTreeSet<usize>,
}

pub fn plan(graph: &Graph, attempted: &[bool], run_id: &str, selected: &[String]) -> Result<ResumePlan> {
    if selected.is_empty() {
        return Err(Error::InvalidInput(
            "NodeIds must name at least one job or crawler node to resume from".into(),
        ));
    }
    let mut chosen: Vec<usize> = Vec::new();
    for id in selected {
        let node = graph
            .find(id)
            .ok_or_else(|| Error::InvalidInput(format!("Node {id} is not in the graph of workflow run {run_id}")))?;
        let n = &graph.nodes[node];
        if n.kind == NodeKind::Trigger {
            return Err(Error::InvalidInput(format!(
                "Node {id} is trigger {}: a workflow run can be resumed only from job or crawler nodes",
                n.name
            )));
        }
        if !attempted[node] {
            return Err(Error::InvalidInput(format!(
                "Node {id} ({} {}) was not run in workflow run {run_id}: a run can be resumed only from nodes it attempted",
                n.kind.as_str().to_lowercase(),
                n.name
            )));
        }
        if !chosen.contains(&node) {
            chosen.push(node);
        }
    }
    let reach: Vec<BTreeSet<usize>> = chosen.iter().map(|n| graph.downstream(*n)).collect();
    // A node is redundant when another selected node reaches it; of two that reach
    // each other (a cycle), the one selected first stays.
    let restart: Vec<usize> = chosen
        .iter()
        .enumerate()
        .filter(|(i, node)| {
            !chosen
                .iter()
                .enumerate()
                .any(|(j, other)| j != *i && reach[j].contains(node) && (!reach[*i].contains(other) || j < *i))
        })
        .map(|(_, node)| *node)
        .collect();
    let rerun = reach.into_iter().flatten().collect();
    Ok(ResumePlan { restart, rerun })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::graph::tests::{idx, trigger, w1};
    use crate::engine::trigger::Logical;

    fn ids(g: &Graph, names: &[&str]) -> Vec<String> {
        names.iter().map(|n| g.nodes[idx(g, n)].unique_id.clone()).collect()
    }

    fn names(g: &Graph, nodes: impl IntoIterator<Item = usize>) -> Vec<String> {
        nodes.into_iter().map(|i| g.nodes[i].name.clone()).collect()
    }

    fn all_attempted(g: &Graph) -> Vec<bool> {
        vec![true; g.nodes.len()]
    }

    #[test]
    fn guide_scenario_restarts_j2_and_j3() {
        let g = w1();
        let p = plan(&g, &all_attempted(&g), "wr_1", &ids(&g, &["J2", "J3"])).unwrap();
        assert_eq!(names(&g, p.restart.clone()), ["J2", "J3"]);
        let mut rerun = names(&g, p.rerun);
        rerun.sort();
        assert_eq!(rerun, ["J2", "J3", "J4", "J5"]);
    }

    #[test]
    fn downstream_selection_is_redundant() {
        let g = w1();
        let p = plan(&g, &all_attempted(&g), "wr_1", &ids(&g, &["J4", "J2"])).unwrap();
        assert_eq!(names(&g, p.restart), ["J2"]);
        let p = plan(&g, &all_attempted(&g), "wr_1", &ids(&g, &["J1", "J5", "J3"])).unwrap();
        assert_eq!(names(&g, p.restart), ["J1"]);
        assert_eq!(p.rerun.len(), 5);
    }

    #[test]
    fn duplicates_are_removed() {
        let g = w1();
        let p = plan(&g, &all_attempted(&g), "wr_1", &ids(&g, &["J3", "J3"])).unwrap();
        assert_eq!(names(&g, p.restart), ["J3"]);
    }

    #[test]
    fn diamond_and_join() {
        // T1 → A; A → T2 → B, A → T3 → C; B AND C → T4 → D
        let ts = [
            trigger("T1", &[], None, &["A"]),
            trigger("T2", &["A"], None, &["B"]),
            trigger("T3", &["A"], None, &["C"]),
            trigger("T4", &["B", "C"], Some(Logical::And), &["D"]),
        ];
        let g = Graph::build("1", "r", "W", ts.iter());
        let p = plan(&g, &all_attempted(&g), "wr", &ids(&g, &["B"])).unwrap();
        assert_eq!(names(&g, p.rerun), ["B", "D"]);
        let p = plan(&g, &all_attempted(&g), "wr", &ids(&g, &["D", "B", "C"])).unwrap();
        assert_eq!(names(&g, p.restart), ["B", "C"]);
    }

    #[test]
    fn fan_out_with_crawler_and_any_join() {
        // T1 → J, crawler K; J ANY K → T2 → L
        let ts = [
            trigger("T1", &[], None, &["J", "crawler:K"]),
            trigger("T2", &["J", "crawler:K"], Some(Logical::Any), &["L"]),
        ];
        let g = Graph::build("1", "r", "W", ts.iter());
        let p = plan(&g, &all_attempted(&g), "wr", &ids(&g, &["K", "L"])).unwrap();
        assert_eq!(names(&g, p.restart), ["K"]);
        // Job nodes come before crawler nodes in the graph.
        assert_eq!(names(&g, p.rerun), ["L", "K"]);
    }

    #[test]
    fn chain_restart_from_middle() {
        let ts = [
            trigger("T1", &[], None, &["A"]),
            trigger("T2", &["A"], None, &["B"]),
            trigger("T3", &["B"], None, &["C"]),
        ];
        let g = Graph::build("1", "r", "W", ts.iter());
        let p = plan(&g, &all_attempted(&g), "wr", &ids(&g, &["B"])).unwrap();
        assert_eq!(names(&g, p.rerun), ["B", "C"]);
    }

    #[test]
    fn cycle_keeps_first_selected() {
        let ts = [
            trigger("T1", &[], None, &["A"]),
            trigger("T2", &["A"], None, &["B"]),
            trigger("T3", &["B"], None, &["A"]),
        ];
        let g = Graph::build("1", "r", "W", ts.iter());
        let p = plan(&g, &all_attempted(&g), "wr", &ids(&g, &["B", "A"])).unwrap();
        assert_eq!(names(&g, p.restart), ["B"]);
    }

    #[test]
    fn refusals() {
        let g = w1();
        let attempted: Vec<bool> = g
            .nodes
            .iter()
            .map(|n| !["J4", "J5"].contains(&n.name.as_str()))
            .collect();
        let err = |sel: Vec<String>| match plan(&g, &attempted, "wr_1", &sel) {
            Err(Error::InvalidInput(m)) => m,
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        assert!(err(vec![]).contains("at least one"));
        assert!(err(vec!["wnode_nope".into()]).contains("not in the graph of workflow run wr_1"));
        assert!(err(ids(&g, &["T2"])).contains("trigger T2"));
        assert!(err(ids(&g, &["J2", "J4"])).contains("job J4) was not run"));
    }
}
