//! JSON Schema handling for scenario inputs and outputs (`inputSchema`, `outputSchema`).
