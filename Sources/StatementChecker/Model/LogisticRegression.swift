import Foundation

/// L2-regularised, class-balanced logistic regression fitted with L-BFGS: minimises
/// C·Σ sᵢ·log(1+exp(−yᵢ(w·xᵢ+b))) + ½‖w‖², with sᵢ weighting each class to half the total
/// (scikit-learn's `class_weight="balanced"`). Deterministic: no random steps.
struct LogisticRegression {
    var c: Double = 4
    var maxIterations = 150
    var memory = 8
    var tolerance = 1e-5

    func fit(_ xs: [FeatureHasher.Vector], _ ys: [Bool], dimension: Int) -> (weights: [Float], bias: Float) {
        let n = Double(xs.count)
        let positives = Double(ys.filter { $0 }.count)
        guard positives > 0, positives < n else {
            return ([Float](repeating: 0, count: dimension), positives > 0 ? 10 : -10)
        }
        let weightPos = n / (2 * positives), weightNeg = n / (2 * (n - positives))
        // Parameters: dimension weights, then the bias (not regularised).
        let size = dimension + 1

        func objective(_ p: [Double], gradient g: inout [Double]) -> Double {
            var loss = 0.0
            for j in 0..<dimension { g[j] = p[j] }
            g[dimension] = 0
            var reg = 0.0
            for j in 0..<dimension { reg += p[j] * p[j] }
            for (i, x) in xs.enumerated() {
                var z = p[dimension]
                for k in x.indices.indices { z += p[Int(x.indices[k])] * Double(x.values[k]) }
                let y = ys[i] ? 1.0 : -1.0
                let s = ys[i] ? weightPos : weightNeg
                let m = y * z
                loss += s * (m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m)))
                let d = -c * s * y / (1 + exp(m))
                for k in x.indices.indices { g[Int(x.indices[k])] += d * Double(x.values[k]) }
                g[dimension] += d
            }
            return c * loss + 0.5 * reg
        }

        var p = [Double](repeating: 0, count: size)
        var g = [Double](repeating: 0, count: size)
        var f = objective(p, gradient: &g)
        var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
        for _ in 0..<maxIterations {
            // Two-loop recursion for the search direction.
            var q = g
            var alphas = [Double](repeating: 0, count: sHistory.count)
            for k in stride(from: sHistory.count - 1, through: 0, by: -1) {
                alphas[k] = rhoHistory[k] * dot(sHistory[k], q)
                axpy(-alphas[k], yHistory[k], &q)
            }
            if let lastS = sHistory.last, let lastY = yHistory.last {
                let gamma = dot(lastS, lastY) / dot(lastY, lastY)
                for j in 0..<size { q[j] *= gamma }
            } else {
                let norm = dot(g, g).squareRoot()
                if norm > 0 { for j in 0..<size { q[j] /= norm } }
            }
            for k in 0..<sHistory.count {
                let beta = rhoHistory[k] * dot(yHistory[k], q)
                axpy(alphas[k] - beta, sHistory[k], &q)
            }
            let direction = q.map { -$0 }
            let slope = dot(g, direction)
            guard slope < 0 else { break }
            // Backtracking line search (Armijo).
            var step = 1.0
            var newP = p, newG = g, newF = f
            var accepted = false
            for _ in 0..<30 {
                for j in 0..<size { newP[j] = p[j] + step * direction[j] }
                newF = objective(newP, gradient: &newG)
                if newF <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { break }
            let s = (0..<size).map { newP[$0] - p[$0] }
            let y = (0..<size).map { newG[$0] - g[$0] }
            let sy = dot(s, y)
            if sy > 1e-12 {
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
                if sHistory.count > memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
            }
            let improvement = (f - newF) / max(abs(f), 1)
            p = newP; g = newG; f = newF
            if improvement < tolerance { break }
        }
        return (p[0..<dimension].map { Float($0) }, Float(p[dimension]))
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    private func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        for i in x.indices { y[i] += a * x[i] }
    }
}
