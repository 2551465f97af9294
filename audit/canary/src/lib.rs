//! Empty: only the dependency matters.
