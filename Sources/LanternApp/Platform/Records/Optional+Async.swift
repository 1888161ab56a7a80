extension Optional {
    /// `flatMap` for an asynchronous transform, such as finding a linked record.
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension Optional {
    /// The value if there is one, otherwise what `fetch` finds.
    func orFetch(_ fetch: () async throws -> Wrapped?) async rethrows -> Wrapped? {
        if let value = self { return value }
        return try await fetch()
    }
}
