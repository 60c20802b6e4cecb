extension Segmentation {
    /// The time each change began: the start of the first bucket of each new segment.
    ///
    /// `changes` works on a bucketed signal (one value per `every` interval), so a change point
    /// is a bucket index; this maps the indexes back to the buckets' start times, whatever type
    /// the caller keeps them in. The onset is known to the bucket: the shift happened at some
    /// time between the previous bucket's start and the end of this one.
    /// - Parameter bucketStarts: the start of each bucket, one per segmented value, in order.
    public func onsets<Time>(bucketStarts: [Time]) -> [Time] {
        precondition(bucketStarts.count == count, "one bucket start per value of the series")
        return changePoints.map { bucketStarts[$0] }
    }

    /// The fitted signal: each value replaced by its segment's mean (for charts of the levels).
    public var fittedLevels: [Double] {
        var levels: [Double] = []
        levels.reserveCapacity(count)
        for segment in segments {
            levels.append(contentsOf: repeatElement(segment.mean, count: segment.count))
        }
        return levels
    }
}
