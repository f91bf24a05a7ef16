//! The layout of the code as docs/architecture.md draws it: no module, and
//! no room (a folder of `src/`, or a file beside them), imports one that
//! imports it back, however far round.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`render::case`, `model`) → the module paths it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The modules of `src/` and what each names as `crate::…` or `super::…`,
/// leaving out comments and unit tests (which may reach anywhere).
fn modules(src: &Path) -> Graph {
    let mut sources = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).into_iter().map(Result::unwrap) {
        let rel = entry.path().strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        if entry.path().extension().is_none_or(|e| e != "rs")
            || matches!(parts[..], [ref f] if f == "lib" || f == "main")
        {
            continue;
        }
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .map(|l| l.split("//").next().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        sources.insert(parts.join("::"), code);
    }
    let names: Vec<String> = sources.keys().cloned().collect();
    // the longest module a path starts with
    let resolve = |path: &str| {
        names
            .iter()
            .filter(|n| path == n.as_str() || path.starts_with(&format!("{n}::")))
            .max_by_key(|n| n.len())
            .cloned()
    };
    let mut graph = Graph::new();
    for (module, code) in &sources {
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut named = BTreeSet::new();
        for (prefix, base) in [("crate::", String::new()), ("super::", format!("{parent}::"))] {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + prefix.len()..];
                let path: String =
                    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
                if let Some(target) = resolve(format!("{base}{}", path.trim_end_matches(':')).trim_start_matches("::"))
                    && target != *module
                    && !module.starts_with(&format!("{target}::"))
                {
                    named.insert(target);
                }
            }
        }
        graph.insert(module.clone(), named);
    }
    graph
}

/// A path round the graph back to where it started, if there is one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(graph: &Graph, at: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == at) {
            return Some(path[start..].iter().cloned().chain([at.to_string()]).collect());
        }
        if !done.insert(at.to_string()) {
            return None;
        }
        path.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|m| visit(graph, m, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_and_no_room_imports_one_that_imports_it_back() {
    let graph = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.contains_key("render::case") && graph["render::case"].contains("model::urls"), "{graph:#?}");
    assert_eq!(circle(&graph), None, "modules in a circle");
    let room = |m: &str| m.split("::").next().unwrap().to_string();
    let mut rooms = Graph::new();
    for (m, named) in &graph {
        rooms.entry(room(m)).or_default().extend(named.iter().map(|n| room(n)).filter(|r| *r != room(m)));
    }
    assert_eq!(circle(&rooms), None, "rooms in a circle");
    // and the check can fail: a circle is found where there is one
    let mut planted = rooms.clone();
    planted.entry("model".into()).or_default().insert("render".into());
    assert!(circle(&planted).is_some());
}
