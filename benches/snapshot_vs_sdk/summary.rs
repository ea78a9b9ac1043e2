//! The closing block: each figure, its target, the ratio where there is one, MET or NOT MET.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Met,
    NotMet,
    Skipped,
}

impl Verdict {
    fn text(self) -> &'static str {
        match self {
            Verdict::Met => "MET",
            Verdict::NotMet => "NOT MET",
            Verdict::Skipped => "not measured",
        }
    }
}

pub struct Row {
    figure: String,
    measured: String,
    target: String,
    ratio: Option<f64>,
    verdict: Verdict,
}

fn verdict(met: bool) -> Verdict {
    if met { Verdict::Met } else { Verdict::NotMet }
}

impl Row {
    pub fn ratio(
        figure: &str,
        measured: String,
        target: &str,
        ratio: f64,
        met: impl Fn(f64) -> bool,
    ) -> Self {
        Self {
            figure: figure.into(),
            measured,
            target: target.into(),
            ratio: Some(ratio),
            verdict: verdict(met(ratio)),
        }
    }

    pub fn check(figure: &str, measured: String, target: &str, met: bool) -> Self {
        Self {
            figure: figure.into(),
            measured,
            target: target.into(),
            ratio: None,
            verdict: verdict(met),
        }
    }

    pub fn skipped(figure: &str, target: &str) -> Self {
        Self {
            figure: figure.into(),
            measured: "SKIP_SDK=1".into(),
            target: target.into(),
            ratio: None,
            verdict: Verdict::Skipped,
        }
    }
}

pub fn print(title: &str, rows: &[Row]) {
    println!();
    println!("== {title} ==");
    for row in rows {
        let ratio = row
            .ratio
            .map(|r| format!("ratio {r:.2}x; "))
            .unwrap_or_default();
        println!(
            "{:<12} {}: {} ({ratio}target {})",
            row.verdict.text(),
            row.figure,
            row.measured,
            row.target,
        );
    }
}
