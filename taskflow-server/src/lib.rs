//! An embedded, in-memory TaskFlow-compatible XML-RPC server.
