// SQLKit comes with Fluent's drivers; re-exported so migrations and health checks can speak portable SQL.
@_exported import SQLKit
@_exported import NIOConcurrencyHelpers
