//! `lambda`: the AMI updater (Python 3.13) and its configuration.

use serde_json::{Value, json};

use super::{DIR, aws_of};
use crate::model::Aws;
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

/// The function source. Configuration comes from environment variables (see [`environment`]),
/// so the code is the same for every topology and is tested once, under moto.
pub const SOURCE: &str = include_str!("ami_updater.py");

/// CloudFormation inline code (`ZipFile`) is limited to 4096 bytes.
pub(super) const INLINE_LIMIT: usize = 4096;

/// The function's environment variables: the parameter it writes, nothing else.
pub(crate) fn environment(aws: &Aws) -> Option<Value> {
    let p = aws.ami_pipeline.as_ref()?;
    Some(json!({ "PARAMETER_NAME": p.parameter.as_str() }))
}

pub(super) fn render(m: &Model) -> Result<Vec<Artifact>, RenderError> {
    let Some(aws) = aws_of(m) else {
        return Ok(Vec::new());
    };
    let Some(env) = environment(aws) else {
        return Ok(Vec::new());
    };
    let config = json!({ "Runtime": "python3.13", "Handler": "ami_updater.handler", "Environment": { "Variables": env } });
    let mut config =
        serde_json::to_string_pretty(&config).map_err(|e| super::err("lambda", e.to_string()))?;
    config.push('\n');
    Ok(vec![
        Artifact::new(format!("{DIR}/lambda/ami_updater.py"), SOURCE),
        Artifact::new(format!("{DIR}/lambda/function.json"), config),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn source_fits_cloudformation_inline_code() {
        assert!(
            super::SOURCE.len() <= super::INLINE_LIMIT,
            "{} bytes",
            super::SOURCE.len()
        );
    }
}
