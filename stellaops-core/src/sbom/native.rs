//! The native JSON form: the inventory as Stella Ops models it, with every fact kept
//! (owned files, all properties, diagnostics), for tools that consume our model directly.

use serde::Serialize;

use crate::compose::Inventory;
use crate::sbom::{DocumentContext, Subject};

/// Native format identifier written in the document.
pub const FORMAT: &str = "stellaops.inventory/v1";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NativeDocument<'a> {
    format: &'static str,
    tool: String,
    created: String,
    subject: &'a Subject,
    #[serde(flatten)]
    inventory: &'a Inventory,
}

/// Render `inventory` as native JSON (pretty-printed, trailing newline).
pub fn to_json(ctx: &DocumentContext, inventory: &Inventory) -> Vec<u8> {
    let doc = NativeDocument {
        format: FORMAT,
        tool: format!("{}/{}", ctx.tool_name, ctx.tool_version),
        created: ctx.created_rfc3339(),
        subject: &ctx.subject,
        inventory,
    };
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
