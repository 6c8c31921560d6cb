//! The app state's transitions, natively: what each action does to the state and which
//! effects it asks for. Files are byte vectors; the engine is `()`, and where a test needs real
//! replies it runs core's `Service` on the posted requests, as the worker would.

use super::*;
use crate::core::engine::service::{handle_to_end, Service};
use crate::core::planning::power::{Design, SolveFor};

#[derive(Debug, Clone, PartialEq)]
struct Test;

impl Host for Test {
    type File = Vec<u8>;
    type Engine = ();
    fn size(file: &Vec<u8>) -> f64 {
        file.len() as f64
    }
}

type State = AppState<Test>;

/// The state at start-up, once the engine runs.
fn started() -> State {
    step(&State::default(), Action::SetEngine(())).0
}

/// Applies actions one after the other; the effects of the last one.
fn run(state: &State, actions: Vec<Action<Test>>) -> (State, Vec<Effect<Test>>) {
    let mut s = state.clone();
    let mut effects = Vec::new();
    for a in actions {
        (s, effects) = step(&s, a);
    }
    (s, effects)
}

/// Performs the `Post` effects on a real engine (core's `Service`, as the worker runs it) and
/// steps through every reply, until no effect is left; the effects that were not posts.
fn settle(service: &mut Service, mut state: State, mut effects: Vec<Effect<Test>>) -> (State, Vec<Effect<Test>>) {
    let mut other = Vec::new();
    while let Some(effect) = (!effects.is_empty()).then(|| effects.remove(0)) {
        let Effect::Post(request, file) = effect else {
            other.push(effect);
            continue;
        };
        let bytes = match file {
            Some(Attachment::File(b)) => Some(b),
            Some(Attachment::Text(t)) => Some(t.into_bytes()),
            None => None,
        };
        for reply in handle_to_end(service, request, bytes.as_deref()) {
            let (next, more) = step(&state, Action::Reply(reply));
            state = next;
            effects.extend(more);
        }
    }
    (state, other)
}

const SMALL_CSV: &str = "id,group,pre,post\n1,program,10,7\n2,program,12,8\n3,program,9,9\n4,comparison,11,10\n5,comparison,10,10\n6,comparison,13,12\n";

#[test]
fn loading_data_bumps_seq_and_posts_exactly_one_request() {
    let s = started();
    let file = vec![b'x'; 2_500_000];
    let (next, effects) = step(&s, Action::LoadData { name: "a.csv".into(), file: file.clone() });
    assert_eq!(next.seq, 1);
    assert_eq!(next.status, Status::Busy);
    assert_eq!(next.reading.as_deref(), Some("Reading and analysing “a.csv” (2.5 MB)"));
    let expected = Request::LoadData { seq: 1, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false };
    assert_eq!(effects, vec![Effect::Post(expected, Some(Attachment::File(file)))]);
    // A small file's label has no size.
    let (next, _) = step(&next, Action::LoadData { name: "b.csv".into(), file: vec![b'x'; 99_999] });
    assert_eq!(next.seq, 2);
    assert_eq!(next.reading.as_deref(), Some("Reading and analysing “b.csv”"));
}

#[test]
fn a_recipe_from_the_user_is_sent_with_new_data_and_its_roles_kept() {
    let recipe = r#"{"alpha": 0.1}"#;
    let (s, effects) = run(&started(), vec![Action::LoadRecipe(recipe.into())]);
    assert!(s.recipe_from_user);
    assert_eq!(s.recipe.alpha, Some(0.1));
    assert!(matches!(effects.as_slice(), [Effect::Post(Request::Analyse { seq: 1, .. }, None)]));
    let (_, effects) = step(&s, Action::LoadData { name: "a.csv".into(), file: vec![1] });
    match effects.as_slice() {
        [Effect::Post(Request::LoadData { seq: 2, recipe, keep_roles: true, .. }, Some(_))] => {
            assert_eq!(recipe.alpha, Some(0.1))
        }
        other => panic!("expected one LoadData post, got {other:?}"),
    }
}

#[test]
fn without_an_engine_a_request_is_an_error_and_nothing_is_posted() {
    let (s, effects) = step(&State::default(), Action::LoadData { name: "a.csv".into(), file: vec![1] });
    assert_eq!(effects, vec![]);
    assert_eq!(s.status, Status::Error);
    assert_eq!(s.error.as_deref(), Some("Lantern's engine has not started; reload the page."));
    // Requests outside the sequence are simply not posted.
    let (_, effects) = step(&State::default(), Action::Cancel);
    assert_eq!(effects, vec![]);
}

#[test]
fn a_reply_to_an_older_request_changes_nothing() {
    let file = vec![1];
    let (s, _) = run(
        &started(),
        vec![
            Action::LoadData { name: "a.csv".into(), file: file.clone() },
            Action::LoadData { name: "b.csv".into(), file },
        ],
    );
    assert_eq!(s.seq, 2);
    let stale = [
        Reply::Analysed { seq: 1, dataset: None, costs: None, recipe: Recipe::default(), analysis: None, waves: None },
        Reply::Progress { seq: 1, fraction: 0.5, label: "x".into() },
        Reply::Failed { seq: 1, message: "old".into() },
        Reply::CleanCsv { seq: 1, name: "a.csv".into(), text: "a".into() },
        Reply::Ready,
    ];
    for reply in stale {
        let (next, effects) = step(&s, Action::Reply(reply.clone()));
        assert_eq!(next, s, "{reply:?} changed the state");
        assert_eq!(effects, vec![], "{reply:?} asked for effects");
    }
}

#[test]
fn wave_files_chosen_together_post_one_request_each_with_more_on_all_but_the_last() {
    let files: Vec<(String, Vec<u8>)> = (1..=3).map(|i| (format!("wave{i}.csv"), vec![i])).collect();
    let (s, effects) = step(&started(), Action::LoadWaves(files));
    assert_eq!(s.seq, 3);
    assert_eq!(s.status, Status::Busy);
    assert_eq!(s.reading.as_deref(), Some("Reading and linking “wave1.csv”, “wave2.csv”, “wave3.csv”"));
    let posts: Vec<(u64, String, bool, bool, u8)> = effects
        .into_iter()
        .map(|e| match e {
            Effect::Post(
                Request::LoadWave { seq, name, fresh, replace: None, more, .. },
                Some(Attachment::File(f)),
            ) => (seq, name, fresh, more, f[0]),
            other => panic!("expected a LoadWave post, got {other:?}"),
        })
        .collect();
    assert_eq!(
        posts,
        vec![
            (1, "wave1.csv".into(), true, true, 1),
            (2, "wave2.csv".into(), false, true, 2),
            (3, "wave3.csv".into(), false, false, 3),
        ]
    );
}

#[test]
fn an_analysis_for_the_newest_request_is_stored_without_effects() {
    let (s, _) = step(&started(), Action::CleanCsv);
    let recipe = Recipe { alpha: Some(0.2), ..Recipe::default() };
    let reply =
        Reply::Analysed { seq: 1, dataset: None, costs: None, recipe: recipe.clone(), analysis: None, waves: None };
    let (next, effects) = step(&s, Action::Reply(reply));
    assert_eq!(effects, vec![]);
    assert_eq!(next.recipe, recipe);
    assert_eq!(next.status, Status::Idle);
    assert!(next.results_shown);
}

#[test]
fn data_loaded_through_the_engine_is_shown_and_its_comments_view_asked_for() {
    let mut service = Service::new();
    let (s, effects) = step(&started(), Action::LoadData { name: "small.csv".into(), file: SMALL_CSV.into() });
    let (s, other) = settle(&mut service, s, effects);
    assert_eq!(other, vec![]);
    assert_eq!(s.status, Status::Ready, "{:?}", s.error);
    let ds = s.dataset.as_ref().expect("a dataset");
    assert_eq!((ds.file.as_str(), ds.n_rows), ("small.csv", 6));
    assert!(s.analysis.is_some());
    assert_eq!((s.seq, s.comments_seq), (1, 1), "one load, then one comments view");
    assert!(s.comments.is_some());
    assert_eq!(s.reading, None);
}

#[test]
fn failures_show_their_message() {
    let (s, _) = step(&started(), Action::LoadData { name: "a.csv".into(), file: vec![1] });
    let (next, effects) = step(&s, Action::Reply(Reply::Failed { seq: 1, message: "not a table".into() }));
    assert_eq!(effects, vec![]);
    assert_eq!(
        (next.status, next.error.as_deref(), next.reading.as_deref()),
        (Status::Error, Some("not a table"), None)
    );
    // seq 0: a failure of no particular request (the worker itself) is always shown.
    let (next, _) = step(&s, Action::Reply(Reply::Failed { seq: 0, message: "worker".into() }));
    assert_eq!((next.status, next.error.as_deref()), (Status::Error, Some("worker")));
    // A recipe that cannot be read changes no setting and asks for nothing.
    let (next, effects) = step(&started(), Action::LoadRecipe("{not json".into()));
    assert_eq!(effects, vec![]);
    assert_eq!(next.status, Status::Error);
    assert!(next.error.is_some());
    assert_eq!((next.recipe_from_user, next.seq), (false, 0));
    // A file the page could not read.
    let (next, effects) = step(&s, Action::Failed("too large".into()));
    assert_eq!(effects, vec![]);
    assert_eq!((next.status, next.error.as_deref(), next.reading.as_deref()), (Status::Error, Some("too large"), None));
}

#[test]
fn a_restarted_engine_leaves_nothing_loaded_but_keeps_the_settings() {
    let mut service = Service::new();
    let (s, effects) = step(&started(), Action::LoadData { name: "small.csv".into(), file: SMALL_CSV.into() });
    let (s, _) = settle(&mut service, s, effects);
    let recipe = s.recipe.clone();
    let (next, effects) = step(&s, Action::Reply(Reply::Restarted { message: "stopped".into() }));
    assert_eq!(effects, vec![]);
    assert!(next.dataset.is_none() && next.analysis.is_none() && next.comments.is_none());
    assert_eq!((next.status, next.error.as_deref()), (Status::Error, Some("stopped")));
    assert_eq!(next.recipe, recipe);
}

#[test]
fn a_settings_edit_is_applied_and_analysed_again() {
    let (s, effects) = step(&started(), Action::SetAlpha(Some(0.1)));
    assert_eq!(s.recipe.alpha, Some(0.1));
    assert_eq!(s.seq, 1);
    assert_eq!(effects, vec![Effect::Post(Request::Analyse { seq: 1, recipe: s.recipe.clone() }, None)]);
    let (s, effects) = step(&s, Action::SetMaxDistance(2));
    let link = s.recipe.link.as_ref().expect("link settings");
    assert_eq!(link.max_distance, Some(serde_json::Value::from(2)));
    assert!(matches!(effects.as_slice(), [Effect::Post(Request::Analyse { seq: 2, .. }, None)]));
}

#[test]
fn a_review_decision_replaces_the_earlier_one_for_the_pair() {
    let review = |accept| Action::ReviewPair { pre: "AB12".into(), later: "AB13".into(), accept };
    let (s, _) = run(&started(), vec![review(true), review(false)]);
    let link = s.recipe.link.as_ref().expect("link settings");
    assert_eq!(link.accept, Vec::<serde_json::Value>::new());
    assert_eq!(link.reject, vec![serde_json::json!(["AB12", "AB13"])]);
}

#[test]
fn clean_csv_is_downloaded_when_it_arrives() {
    let (s, _) = step(&started(), Action::CleanCsv);
    let reply = Reply::CleanCsv { seq: 1, name: "clean.csv".into(), text: "a,b\n".into() };
    let (next, effects) = step(&s, Action::Reply(reply));
    assert_eq!(effects, vec![Effect::Download { name: "clean.csv".into(), mime: "text/csv", text: "a,b\n".into() }]);
    assert_eq!(next.status, Status::Idle);
}

#[test]
fn the_planner_writes_its_case_into_the_url() {
    let case = PowerCase::new(Design::PairedT, SolveFor::N);
    let fragment = to_fragment(&case);
    let (s, effects) = step(&started(), Action::SetPlan(case.clone()));
    assert_eq!(effects, vec![Effect::SetUrl(fragment.clone())]);
    assert_eq!(s.plan, Some(case));
    assert_eq!(format!("#{}", s.route), fragment);
    let (s, effects) = step(&s, Action::Route("/plan?design=nonsense".into()));
    assert_eq!(effects, vec![]);
    assert!(s.plan_error.as_deref().is_some_and(|e| e.starts_with("This planning link could not be used")));
}

#[test]
fn cancel_and_comment_views_keep_the_analysis_sequence() {
    let (s, _) = step(&started(), Action::CleanCsv);
    let (s, effects) = step(&s, Action::Cancel);
    assert_eq!(effects, vec![Effect::Post(Request::Cancel, None)]);
    let (s, effects) = step(&s, Action::CommentsQuery(CommentsQuery::default()));
    assert_eq!(effects, vec![Effect::Post(Request::Comments { seq: 1, query: CommentsQuery::default() }, None)]);
    assert_eq!((s.seq, s.comments_seq, s.status), (1, 1, Status::Busy));
}

#[test]
fn clear_all_keeps_the_engine_page_and_sequence_and_tells_the_engine() {
    let (s, _) = run(&started(), vec![Action::Route("/cost".into()), Action::SetAlpha(Some(0.1))]);
    let (next, effects) = step(&s, Action::ClearAll);
    assert_eq!(effects, vec![Effect::Post(Request::Reset { seq: 2 }, None)]);
    assert_eq!((next.engine, next.route.as_str(), next.seq), (Some(()), "/cost", 2));
    assert_eq!(next.recipe, Recipe::default());
}
