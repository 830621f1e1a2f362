//! OpenAPI documents for request-response scenarios.
