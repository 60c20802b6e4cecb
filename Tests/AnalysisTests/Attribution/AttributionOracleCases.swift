// The attribution oracle's cases: inputs as the aggregated rows a GROUP BY per dimension gives
// (one row per stored value, NULL and blanks apart), expected values as the oracle printed them.
// Written by Tests/AnalysisTests/oracle/attribution/emit_swift.py from the JSON that
// oracle_attribution.py (scipy 1.17.1, Python 3.11) printed for each command named below
// (run_cases.sh there runs them all); examples/ is ../shared/oracles/examples, the
// attr_case_*.json inputs are written by make_cases.py. Do not edit by hand: regenerate.
import Analysis

enum AttributionOracle {
    /// The rows of attr_prompt_baseline.csv / attr_prompt_current.csv, metric `refused`.
    static let promptRows: [AttributionRow] = [
        AttributionRow(dimension: "prompt_version", element: "v1", baselineCount: 1000, baselineSum: 20.0, currentCount: 1000, currentSum: 20.0),
        AttributionRow(dimension: "prompt_version", element: "v2", baselineCount: 1000, baselineSum: 20.0, currentCount: 1000, currentSum: 120.0),
        AttributionRow(dimension: "model", element: "model-a", baselineCount: 1000, baselineSum: 20.0, currentCount: 1000, currentSum: 70.0),
        AttributionRow(dimension: "model", element: "model-b", baselineCount: 1000, baselineSum: 20.0, currentCount: 1000, currentSum: 70.0),
        AttributionRow(dimension: "route", element: "chat", baselineCount: 1000, baselineSum: 20.0, currentCount: 1000, currentSum: 70.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 1000, baselineSum: 20.0, currentCount: 1000, currentSum: 70.0),
    ]

    /// The rows of attr_mix_shift_pair.json, metric `refused`.
    static let mixShiftRows: [AttributionRow] = [
        AttributionRow(dimension: "model", element: "a", baselineCount: 500, baselineSum: 5.0, currentCount: 200, currentSum: 2.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 500, baselineSum: 50.0, currentCount: 800, currentSum: 80.0),
        AttributionRow(dimension: "route", element: "chat", baselineCount: 500, baselineSum: 28.0, currentCount: 500, currentSum: 41.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 500, baselineSum: 27.0, currentCount: 500, currentSum: 41.0),
    ]

    /// The rows of attr_case_both.json, metric `m`.
    static let bothRows: [AttributionRow] = [
        AttributionRow(dimension: "model", element: "m1", baselineCount: 500, baselineSum: 10.0, currentCount: 500, currentSum: 11.0),
        AttributionRow(dimension: "model", element: "m2", baselineCount: 400, baselineSum: 8.0, currentCount: 400, currentSum: 9.0),
        AttributionRow(dimension: "model", element: "m3", baselineCount: 100, baselineSum: 3.0, currentCount: 150, currentSum: 30.0),
        AttributionRow(dimension: "cohort", element: "beta", baselineCount: 100, baselineSum: 3.0, currentCount: 150, currentSum: 30.0),
        AttributionRow(dimension: "cohort", element: "free", baselineCount: 550, baselineSum: 11.0, currentCount: 540, currentSum: 12.0),
        AttributionRow(dimension: "cohort", element: "pro", baselineCount: 350, baselineSum: 7.0, currentCount: 360, currentSum: 8.0),
        AttributionRow(dimension: "route", element: "chat", baselineCount: 510, baselineSum: 11.0, currentCount: 510, currentSum: 27.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 490, baselineSum: 10.0, currentCount: 540, currentSum: 23.0),
    ]

    /// The rows of attr_case_nochange.json, metric `m`.
    static let noChangeRows: [AttributionRow] = [
        AttributionRow(dimension: "model", element: "a", baselineCount: 700, baselineSum: 17.0, currentCount: 700, currentSum: 17.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 300, baselineSum: 13.0, currentCount: 300, currentSum: 13.0),
        AttributionRow(dimension: "route", element: "chat", baselineCount: 600, baselineSum: 18.0, currentCount: 600, currentSum: 18.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 400, baselineSum: 12.0, currentCount: 400, currentSum: 12.0),
    ]

    /// The rows of attr_case_volume70.json, metric `m`.
    static let volume70Rows: [AttributionRow] = [
        AttributionRow(dimension: "model", element: "a", baselineCount: 700, baselineSum: 40.0, currentCount: 490, currentSum: 28.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 300, baselineSum: 30.0, currentCount: 210, currentSum: 21.0),
        AttributionRow(dimension: "route", element: "chat", baselineCount: 600, baselineSum: 30.0, currentCount: 420, currentSum: 21.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 400, baselineSum: 40.0, currentCount: 280, currentSum: 28.0),
    ]

    /// The rows of attr_case_single.json, metric `m`.
    static let singleRows: [AttributionRow] = [
        AttributionRow(dimension: "env", element: "prod", baselineCount: 1000, baselineSum: 45.0, currentCount: 1000, currentSum: 123.0),
        AttributionRow(dimension: "tool", element: "calc", baselineCount: 200, baselineSum: 10.0, currentCount: 190, currentSum: 9.0),
        AttributionRow(dimension: "tool", element: "none", baselineCount: 500, baselineSum: 20.0, currentCount: 500, currentSum: 21.0),
        AttributionRow(dimension: "tool", element: "search", baselineCount: 300, baselineSum: 15.0, currentCount: 310, currentSum: 93.0),
    ]

    /// The rows of attr_case_missing.json, metric `m`, dimensions intent, model, region.
    static let missingRows: [AttributionRow] = [
        AttributionRow(dimension: "intent", element: nil, baselineCount: 100, baselineSum: 2.0, currentCount: 150, currentSum: 30.0),
        AttributionRow(dimension: "intent", element: "", baselineCount: 50, baselineSum: 1.0, currentCount: 60, currentSum: 12.0),
        AttributionRow(dimension: "intent", element: "  ", baselineCount: 20, baselineSum: 0.0, currentCount: 30, currentSum: 6.0),
        AttributionRow(dimension: "intent", element: " refund ", baselineCount: 100, baselineSum: 2.0, currentCount: 90, currentSum: 2.0),
        AttributionRow(dimension: "intent", element: "billing", baselineCount: 400, baselineSum: 8.0, currentCount: 380, currentSum: 8.0),
        AttributionRow(dimension: "intent", element: "refund", baselineCount: 300, baselineSum: 6.0, currentCount: 250, currentSum: 5.0),
        AttributionRow(dimension: "model", element: "a", baselineCount: 420, baselineSum: 8.0, currentCount: 430, currentSum: 41.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 550, baselineSum: 11.0, currentCount: 530, currentSum: 22.0),
        AttributionRow(dimension: "region", element: "", baselineCount: 900, baselineSum: 17.0, currentCount: 0, currentSum: 0.0),
        AttributionRow(dimension: "region", element: "eu", baselineCount: 70, baselineSum: 2.0, currentCount: 0, currentSum: 0.0),
        AttributionRow(dimension: "region", element: "us", baselineCount: 0, baselineSum: 0.0, currentCount: 960, currentSum: 63.0),
    ]

    /// The rows of attr_case_mean.json, metric `m`.
    static let meanRows: [AttributionRow] = [
        AttributionRow(dimension: "model", element: "a", baselineCount: 350, baselineSum: 159654.0, currentCount: 350, currentSum: 159415.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 300, baselineSum: 129554.0, currentCount: 320, currentSum: 153757.0),
        AttributionRow(dimension: "region", element: "eu", baselineCount: 270, baselineSum: 122661.0, currentCount: 270, currentSum: 137884.0),
        AttributionRow(dimension: "region", element: "us", baselineCount: 380, baselineSum: 166547.0, currentCount: 400, currentSum: 175288.0),
    ]

    /// The rows of attr_case_sum.json, metric `m`.
    static let sumRows: [AttributionRow] = [
        AttributionRow(dimension: "model", element: "a", baselineCount: 180, baselineSum: 347.25, currentCount: 216, currentSum: 417.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 120, baselineSum: 150.0, currentCount: 144, currentSum: 288.0),
        AttributionRow(dimension: "route", element: "chat", baselineCount: 160, baselineSum: 189.875, currentCount: 192, currentSum: 336.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 140, baselineSum: 307.375, currentCount: 168, currentSum: 369.0),
    ]

    /// The rows of attr_case_volume.json, metric `m`.
    static let volumeRows: [AttributionRow] = [
        AttributionRow(dimension: "route", element: "chat", baselineCount: 400, baselineSum: 10.0, currentCount: 800, currentSum: 20.0),
        AttributionRow(dimension: "route", element: "rag", baselineCount: 400, baselineSum: 6.0, currentCount: 400, currentSum: 16.0),
        AttributionRow(dimension: "model", element: "a", baselineCount: 400, baselineSum: 8.0, currentCount: 600, currentSum: 22.0),
        AttributionRow(dimension: "model", element: "b", baselineCount: 400, baselineSum: 8.0, currentCount: 600, currentSum: 14.0),
    ]

    /// `python oracles/oracle_attribution.py examples/attr_prompt_baseline.csv examples/attr_prompt_current.csv --metric refused`
    static let promptRate = OracleAttribution(
            baselineRows: 2000, currentRows: 2000, scale: 1.0,
            rootCauses: [
                OracleCandidate(dimension: "prompt_version", elements: ["v2"], explains: 1.0, surprise: 0.0343004181296063),
                OracleCandidate(dimension: "model", elements: ["model-a", "model-b"], explains: 1.0, surprise: 0.0),
                OracleCandidate(dimension: "route", elements: ["chat", "rag"], explains: 1.0, surprise: 0.0),
            ],
            dimensions: [
                OracleDimension(
                    name: "prompt_version",
                    totals: [40.0, 2000.0, 140.0, 2000.0, 0.05],
                    surpriseSum: 0.11009182675183557,
                    elements: [
                        OracleElement(value: "v1", forecast: 20.0, forecastCount: 1000.0, forecastRate: 0.02, actual: 20.0, actualCount: 1000.0, actualRate: 0.02, epRaw: 0.0, ep: 0.0, surprise: 0.07579140862222927, surpriseM1: 0.07579140862222927, surpriseM2: 0.0),
                        OracleElement(value: "v2", forecast: 20.0, forecastCount: 1000.0, forecastRate: 0.02, actual: 120.0, actualCount: 1000.0, actualRate: 0.12, epRaw: 0.05, ep: 1.0, surprise: 0.0343004181296063, surpriseM1: 0.0343004181296063, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "prompt_version", elements: ["v2"], explains: 1.0, surprise: 0.0343004181296063)),
                OracleDimension(
                    name: "model",
                    totals: [40.0, 2000.0, 140.0, 2000.0, 0.05],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "model-a", forecast: 20.0, forecastCount: 1000.0, forecastRate: 0.02, actual: 70.0, actualCount: 1000.0, actualRate: 0.07, epRaw: 0.025, ep: 0.5, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                        OracleElement(value: "model-b", forecast: 20.0, forecastCount: 1000.0, forecastRate: 0.02, actual: 70.0, actualCount: 1000.0, actualRate: 0.07, epRaw: 0.025, ep: 0.5, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["model-a", "model-b"], explains: 1.0, surprise: 0.0)),
                OracleDimension(
                    name: "route",
                    totals: [40.0, 2000.0, 140.0, 2000.0, 0.05],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "chat", forecast: 20.0, forecastCount: 1000.0, forecastRate: 0.02, actual: 70.0, actualCount: 1000.0, actualRate: 0.07, epRaw: 0.025, ep: 0.5, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                        OracleElement(value: "rag", forecast: 20.0, forecastCount: 1000.0, forecastRate: 0.02, actual: 70.0, actualCount: 1000.0, actualRate: 0.07, epRaw: 0.025, ep: 0.5, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["chat", "rag"], explains: 1.0, surprise: 0.0)),
            ],
            slices: [
                OracleSlice(dimension: "prompt_version", value: "v1", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.02, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "prompt_version", value: "v2", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.12, z: 8.763841367493646, p: 1.8870732639844062e-18, q: 1.1322439583906437e-17),
                OracleSlice(dimension: "model", value: "model-a", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
                OracleSlice(dimension: "model", value: "model-b", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
                OracleSlice(dimension: "route", value: "chat", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
                OracleSlice(dimension: "route", value: "rag", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
            ])

    /// `python oracles/oracle_attribution.py examples/attr_prompt_baseline.csv examples/attr_prompt_current.csv --metric refused --measure sum`
    static let promptSum = OracleAttribution(
            baselineRows: 2000, currentRows: 2000, scale: 1.0,
            rootCauses: [
                OracleCandidate(dimension: "prompt_version", elements: ["v2"], explains: 1.0, surprise: 0.0343004181296063),
                OracleCandidate(dimension: "model", elements: ["model-a", "model-b"], explains: 1.0, surprise: 0.0),
                OracleCandidate(dimension: "route", elements: ["chat", "rag"], explains: 1.0, surprise: 0.0),
            ],
            dimensions: [
                OracleDimension(
                    name: "prompt_version",
                    totals: [40.0, 2000.0, 140.0, 2000.0, 100.0],
                    surpriseSum: 0.11009182675183557,
                    elements: [
                        OracleElement(value: "v1", forecast: 20.0, actual: 20.0, ep: 0.0, surprise: 0.07579140862222927, p: 0.5, q: 0.14285714285714285),
                        OracleElement(value: "v2", forecast: 20.0, actual: 120.0, ep: 1.0, surprise: 0.0343004181296063, p: 0.5, q: 0.8571428571428571),
                    ],
                    candidate: OracleCandidate(dimension: "prompt_version", elements: ["v2"], explains: 1.0, surprise: 0.0343004181296063)),
                OracleDimension(
                    name: "model",
                    totals: [40.0, 2000.0, 140.0, 2000.0, 100.0],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "model-a", forecast: 20.0, actual: 70.0, ep: 0.5, surprise: 0.0, p: 0.5, q: 0.5),
                        OracleElement(value: "model-b", forecast: 20.0, actual: 70.0, ep: 0.5, surprise: 0.0, p: 0.5, q: 0.5),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["model-a", "model-b"], explains: 1.0, surprise: 0.0)),
                OracleDimension(
                    name: "route",
                    totals: [40.0, 2000.0, 140.0, 2000.0, 100.0],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "chat", forecast: 20.0, actual: 70.0, ep: 0.5, surprise: 0.0, p: 0.5, q: 0.5),
                        OracleElement(value: "rag", forecast: 20.0, actual: 70.0, ep: 0.5, surprise: 0.0, p: 0.5, q: 0.5),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["chat", "rag"], explains: 1.0, surprise: 0.0)),
            ],
            slices: [
                OracleSlice(dimension: "prompt_version", value: "v1", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.02, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "prompt_version", value: "v2", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.12, z: 8.763841367493646, p: 1.8870732639844062e-18, q: 1.1322439583906437e-17),
                OracleSlice(dimension: "model", value: "model-a", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
                OracleSlice(dimension: "model", value: "model-b", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
                OracleSlice(dimension: "route", value: "chat", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
                OracleSlice(dimension: "route", value: "rag", baselineN: 1000, baselineRate: 0.02, currentN: 1000, currentRate: 0.07, z: 5.39320668075478, p: 6.921126512964266e-08, q: 8.305351815557119e-08),
            ])

    /// `python oracles/oracle_attribution.py --pair examples/attr_mix_shift_pair.json --metric refused`
    static let mixShiftRate = OracleAttribution(
            baselineRows: 1000, currentRows: 1000, scale: 1.0,
            rootCauses: [
                OracleCandidate(dimension: "model", elements: ["a", "b"], explains: 1.0, surprise: 0.08868544144377592),
                OracleCandidate(dimension: "route", elements: ["rag", "chat"], explains: 1.0, surprise: 5.962124644974575e-05),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [55.0, 1000.0, 82.0, 1000.0, 0.027000000000000003],
                    surpriseSum: 0.08868544144377592,
                    elements: [
                        OracleElement(value: "a", forecast: 5.0, forecastCount: 500.0, forecastRate: 0.01, actual: 2.0, actualCount: 200.0, actualRate: 0.01, epRaw: 0.019285714285714285, ep: 0.65, surprise: 0.06264229618018793, surpriseM1: 0.01473449517850878, surpriseM2: 0.04790780100167916),
                        OracleElement(value: "b", forecast: 50.0, forecastCount: 500.0, forecastRate: 0.1, actual: 80.0, actualCount: 800.0, actualRate: 0.1, epRaw: 0.010384615384615384, ep: 0.35000000000000003, surprise: 0.02604314526358799, surpriseM1: 0.000846938333457295, surpriseM2: 0.025196206930130693),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["a", "b"], explains: 1.0, surprise: 0.08868544144377592)),
                OracleDimension(
                    name: "route",
                    totals: [55.0, 1000.0, 82.0, 1000.0, 0.027000000000000003],
                    surpriseSum: 5.962124644974575e-05,
                    elements: [
                        OracleElement(value: "rag", forecast: 27.0, forecastCount: 500.0, forecastRate: 0.054, actual: 41.0, actualCount: 500.0, actualRate: 0.082, epRaw: 0.014, ep: 0.5185185185185185, surprise: 3.0081636357262836e-05, surpriseM1: 3.0081636357262836e-05, surpriseM2: 0.0),
                        OracleElement(value: "chat", forecast: 28.0, forecastCount: 500.0, forecastRate: 0.056, actual: 41.0, actualCount: 500.0, actualRate: 0.082, epRaw: 0.013, ep: 0.48148148148148145, surprise: 2.953961009248291e-05, surpriseM1: 2.953961009248291e-05, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["rag", "chat"], explains: 1.0, surprise: 5.962124644974575e-05)),
            ],
            slices: [
                OracleSlice(dimension: "model", value: "a", baselineN: 500, baselineRate: 0.01, currentN: 200, currentRate: 0.01, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "model", value: "b", baselineN: 500, baselineRate: 0.1, currentN: 800, currentRate: 0.1, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "chat", baselineN: 500, baselineRate: 0.056, currentN: 500, currentRate: 0.082, z: 1.6219742920263744, p: 0.10480885275935144, q: 0.20961770551870287),
                OracleSlice(dimension: "route", value: "rag", baselineN: 500, baselineRate: 0.054, currentN: 500, currentRate: 0.082, z: 1.7585941460044217, p: 0.07864646800754133, q: 0.20961770551870287),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_both.json --metric m`
    static let both = OracleAttribution(
            baselineRows: 1000, currentRows: 1050, scale: 1.05,
            rootCauses: [
                OracleCandidate(dimension: "cohort", elements: ["beta"], explains: 0.9221651070862559, surprise: 0.11184031760189884),
                OracleCandidate(dimension: "model", elements: ["m3"], explains: 0.9223992201030874, surprise: 0.11184031760189884),
                OracleCandidate(dimension: "route", elements: ["rag", "chat"], explains: 1.0, surprise: 0.0006153669091651373),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [22.049999999999997, 1050.0, 50.0, 1050.0, 0.02661904761904762],
                    surpriseSum: 0.17358244213172863,
                    elements: [
                        OracleElement(value: "m3", forecast: 3.1500000000000004, forecastCount: 105.0, forecastRate: 0.030000000000000002, actual: 30.0, actualCount: 150.0, actualRate: 0.2, epRaw: 0.02365753424657534, ep: 0.9223992201030874, surprise: 0.11184031760189884, surpriseM1: 0.10909819544460539, surpriseM2: 0.0027421221572934504),
                        OracleElement(value: "m1", forecast: 10.5, forecastCount: 525.0, forecastRate: 0.02, actual: 11.0, actualCount: 500.0, actualRate: 0.022, epRaw: 0.001, ep: 0.038989660143326804, surprise: 0.035024375202816996, surpriseM1: 0.03481490393186722, surpriseM2: 0.00020947127094978098),
                        OracleElement(value: "m2", forecast: 8.4, forecastCount: 420.0, forecastRate: 0.02, actual: 9.0, actualCount: 400.0, actualRate: 0.0225, epRaw: 0.0009902912621359218, ep: 0.03861111975358575, surprise: 0.026717749327012784, surpriseM1: 0.02655017231025296, surpriseM2: 0.00016757701675982565),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["m3"], explains: 0.9223992201030874, surprise: 0.11184031760189884)),
                OracleDimension(
                    name: "cohort",
                    totals: [22.05, 1050.0, 50.0, 1050.0, 0.026619047619047615],
                    surpriseSum: 0.17370288054131094,
                    elements: [
                        OracleElement(value: "beta", forecast: 3.1500000000000004, forecastCount: 105.0, forecastRate: 0.030000000000000002, actual: 30.0, actualCount: 150.0, actualRate: 0.2, epRaw: 0.02365753424657534, ep: 0.9221651070862559, surprise: 0.11184031760189884, surpriseM1: 0.10909819544460539, surpriseM2: 0.0027421221572934504),
                        OracleElement(value: "free", forecast: 11.55, forecastCount: 577.5, forecastRate: 0.02, actual: 12.0, actualCount: 540.0, actualRate: 0.022222222222222223, epRaw: 0.0012222222222222215, ep: 0.047641934053288496, surprise: 0.03939480178353983, surpriseM1: 0.03896246539606904, surpriseM2: 0.00043233638747079),
                        OracleElement(value: "pro", forecast: 7.3500000000000005, forecastCount: 367.5, forecastRate: 0.02, actual: 8.0, actualCount: 360.0, actualRate: 0.022222222222222223, epRaw: 0.0007745803357314143, ep: 0.030192958860455556, surprise: 0.02246776115587225, surpriseM1: 0.022441201498338982, surpriseM2: 2.6559657533265467e-05),
                    ],
                    candidate: OracleCandidate(dimension: "cohort", elements: ["beta"], explains: 0.9221651070862559, surprise: 0.11184031760189884)),
                OracleDimension(
                    name: "route",
                    totals: [22.05, 1050.0, 50.0, 1050.0, 0.026619047619047615],
                    surpriseSum: 0.0006153669091651373,
                    elements: [
                        OracleElement(value: "rag", forecast: 10.5, forecastCount: 514.5, forecastRate: 0.02040816326530612, actual: 23.0, actualCount: 540.0, actualRate: 0.04259259259259259, epRaw: 0.011124593212459321, ep: 0.4162178429292555, surprise: 0.00031282976565669054, surpriseM1: 0.0001009929885386349, surpriseM2: 0.00021183677711805564),
                        OracleElement(value: "chat", forecast: 11.55, forecastCount: 535.5, forecastRate: 0.021568627450980392, actual: 27.0, actualCount: 510.0, actualRate: 0.052941176470588235, epRaw: 0.015603221083455346, ep: 0.5837821570707444, surprise: 0.00030253714350844674, surpriseM1: 8.887644713966893e-05, surpriseM2: 0.0002136606963687778),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["rag", "chat"], explains: 1.0, surprise: 0.0006153669091651373)),
            ],
            slices: [
                OracleSlice(dimension: "model", value: "m1", baselineN: 500, baselineRate: 0.02, currentN: 500, currentRate: 0.022, z: 0.2205459092313894, p: 0.8254460220410513, q: 0.8369032585891147),
                OracleSlice(dimension: "model", value: "m2", baselineN: 400, baselineRate: 0.02, currentN: 400, currentRate: 0.0225, z: 0.24515437711764057, p: 0.806336900370296, q: 0.8369032585891147),
                OracleSlice(dimension: "model", value: "m3", baselineN: 100, baselineRate: 0.03, currentN: 150, currentRate: 0.2, z: 3.890251854173223, p: 0.00010014023411364191, q: 0.00040056093645456765),
                OracleSlice(dimension: "cohort", value: "beta", baselineN: 100, baselineRate: 0.03, currentN: 150, currentRate: 0.2, z: 3.890251854173223, p: 0.00010014023411364191, q: 0.00040056093645456765),
                OracleSlice(dimension: "cohort", value: "free", baselineN: 550, baselineRate: 0.02, currentN: 540, currentRate: 0.022222222222222223, z: 0.25523065330944167, p: 0.7985449569633986, q: 0.8369032585891147),
                OracleSlice(dimension: "cohort", value: "pro", baselineN: 350, baselineRate: 0.02, currentN: 360, currentRate: 0.022222222222222223, z: 0.20585617613873797, p: 0.8369032585891147, q: 0.8369032585891147),
                OracleSlice(dimension: "route", value: "chat", baselineN: 510, baselineRate: 0.021568627450980392, currentN: 510, currentRate: 0.052941176470588235, z: 2.645285347485524, p: 0.00816220545495251, q: 0.021765881213206693),
                OracleSlice(dimension: "route", value: "rag", baselineN: 490, baselineRate: 0.02040816326530612, currentN: 540, currentRate: 0.04259259259259259, z: 2.0190972839370485, p: 0.04347710911412277, q: 0.08695421822824553),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_both.json --metric m --teep 0.2 --tep 0.5 --top 2`
    static let bothThresholds = OracleAttribution(
            baselineRows: 1000, currentRows: 1050, scale: 1.05,
            rootCauses: [
                OracleCandidate(dimension: "cohort", elements: ["beta"], explains: 0.9221651070862559, surprise: 0.11184031760189884),
                OracleCandidate(dimension: "model", elements: ["m3"], explains: 0.9223992201030874, surprise: 0.11184031760189884),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [22.049999999999997, 1050.0, 50.0, 1050.0, 0.02661904761904762],
                    surpriseSum: 0.17358244213172863,
                    elements: [
                        OracleElement(value: "m3", forecast: 3.1500000000000004, forecastCount: 105.0, forecastRate: 0.030000000000000002, actual: 30.0, actualCount: 150.0, actualRate: 0.2, epRaw: 0.02365753424657534, ep: 0.9223992201030874, surprise: 0.11184031760189884, surpriseM1: 0.10909819544460539, surpriseM2: 0.0027421221572934504),
                        OracleElement(value: "m1", forecast: 10.5, forecastCount: 525.0, forecastRate: 0.02, actual: 11.0, actualCount: 500.0, actualRate: 0.022, epRaw: 0.001, ep: 0.038989660143326804, surprise: 0.035024375202816996, surpriseM1: 0.03481490393186722, surpriseM2: 0.00020947127094978098),
                        OracleElement(value: "m2", forecast: 8.4, forecastCount: 420.0, forecastRate: 0.02, actual: 9.0, actualCount: 400.0, actualRate: 0.0225, epRaw: 0.0009902912621359218, ep: 0.03861111975358575, surprise: 0.026717749327012784, surpriseM1: 0.02655017231025296, surpriseM2: 0.00016757701675982565),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["m3"], explains: 0.9223992201030874, surprise: 0.11184031760189884)),
                OracleDimension(
                    name: "cohort",
                    totals: [22.05, 1050.0, 50.0, 1050.0, 0.026619047619047615],
                    surpriseSum: 0.17370288054131094,
                    elements: [
                        OracleElement(value: "beta", forecast: 3.1500000000000004, forecastCount: 105.0, forecastRate: 0.030000000000000002, actual: 30.0, actualCount: 150.0, actualRate: 0.2, epRaw: 0.02365753424657534, ep: 0.9221651070862559, surprise: 0.11184031760189884, surpriseM1: 0.10909819544460539, surpriseM2: 0.0027421221572934504),
                        OracleElement(value: "free", forecast: 11.55, forecastCount: 577.5, forecastRate: 0.02, actual: 12.0, actualCount: 540.0, actualRate: 0.022222222222222223, epRaw: 0.0012222222222222215, ep: 0.047641934053288496, surprise: 0.03939480178353983, surpriseM1: 0.03896246539606904, surpriseM2: 0.00043233638747079),
                        OracleElement(value: "pro", forecast: 7.3500000000000005, forecastCount: 367.5, forecastRate: 0.02, actual: 8.0, actualCount: 360.0, actualRate: 0.022222222222222223, epRaw: 0.0007745803357314143, ep: 0.030192958860455556, surprise: 0.02246776115587225, surpriseM1: 0.022441201498338982, surpriseM2: 2.6559657533265467e-05),
                    ],
                    candidate: OracleCandidate(dimension: "cohort", elements: ["beta"], explains: 0.9221651070862559, surprise: 0.11184031760189884)),
                OracleDimension(
                    name: "route",
                    totals: [22.05, 1050.0, 50.0, 1050.0, 0.026619047619047615],
                    surpriseSum: 0.0006153669091651373,
                    elements: [
                        OracleElement(value: "rag", forecast: 10.5, forecastCount: 514.5, forecastRate: 0.02040816326530612, actual: 23.0, actualCount: 540.0, actualRate: 0.04259259259259259, epRaw: 0.011124593212459321, ep: 0.4162178429292555, surprise: 0.00031282976565669054, surpriseM1: 0.0001009929885386349, surpriseM2: 0.00021183677711805564),
                        OracleElement(value: "chat", forecast: 11.55, forecastCount: 535.5, forecastRate: 0.021568627450980392, actual: 27.0, actualCount: 510.0, actualRate: 0.052941176470588235, epRaw: 0.015603221083455346, ep: 0.5837821570707444, surprise: 0.00030253714350844674, surpriseM1: 8.887644713966893e-05, surpriseM2: 0.0002136606963687778),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["rag", "chat"], explains: 1.0, surprise: 0.0006153669091651373)),
            ],
            slices: [
                OracleSlice(dimension: "model", value: "m1", baselineN: 500, baselineRate: 0.02, currentN: 500, currentRate: 0.022, z: 0.2205459092313894, p: 0.8254460220410513, q: 0.8369032585891147),
                OracleSlice(dimension: "model", value: "m2", baselineN: 400, baselineRate: 0.02, currentN: 400, currentRate: 0.0225, z: 0.24515437711764057, p: 0.806336900370296, q: 0.8369032585891147),
                OracleSlice(dimension: "model", value: "m3", baselineN: 100, baselineRate: 0.03, currentN: 150, currentRate: 0.2, z: 3.890251854173223, p: 0.00010014023411364191, q: 0.00040056093645456765),
                OracleSlice(dimension: "cohort", value: "beta", baselineN: 100, baselineRate: 0.03, currentN: 150, currentRate: 0.2, z: 3.890251854173223, p: 0.00010014023411364191, q: 0.00040056093645456765),
                OracleSlice(dimension: "cohort", value: "free", baselineN: 550, baselineRate: 0.02, currentN: 540, currentRate: 0.022222222222222223, z: 0.25523065330944167, p: 0.7985449569633986, q: 0.8369032585891147),
                OracleSlice(dimension: "cohort", value: "pro", baselineN: 350, baselineRate: 0.02, currentN: 360, currentRate: 0.022222222222222223, z: 0.20585617613873797, p: 0.8369032585891147, q: 0.8369032585891147),
                OracleSlice(dimension: "route", value: "chat", baselineN: 510, baselineRate: 0.021568627450980392, currentN: 510, currentRate: 0.052941176470588235, z: 2.645285347485524, p: 0.00816220545495251, q: 0.021765881213206693),
                OracleSlice(dimension: "route", value: "rag", baselineN: 490, baselineRate: 0.02040816326530612, currentN: 540, currentRate: 0.04259259259259259, z: 2.0190972839370485, p: 0.04347710911412277, q: 0.08695421822824553),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_nochange.json --metric m`
    static let noChange = OracleAttribution(
            baselineRows: 1000, currentRows: 1000, scale: 1.0,
            rootCauses: [
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [30.0, 1000.0, 30.0, 1000.0, 0.0],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "a", forecast: 17.0, forecastCount: 700.0, forecastRate: 0.024285714285714285, actual: 17.0, actualCount: 700.0, actualRate: 0.024285714285714285, epRaw: 0.0, ep: nil, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                        OracleElement(value: "b", forecast: 13.0, forecastCount: 300.0, forecastRate: 0.043333333333333335, actual: 13.0, actualCount: 300.0, actualRate: 0.043333333333333335, epRaw: 0.0, ep: nil, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: nil),
                OracleDimension(
                    name: "route",
                    totals: [30.0, 1000.0, 30.0, 1000.0, 0.0],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "chat", forecast: 18.0, forecastCount: 600.0, forecastRate: 0.03, actual: 18.0, actualCount: 600.0, actualRate: 0.03, epRaw: 0.0, ep: nil, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                        OracleElement(value: "rag", forecast: 12.0, forecastCount: 400.0, forecastRate: 0.03, actual: 12.0, actualCount: 400.0, actualRate: 0.03, epRaw: 0.0, ep: nil, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: nil),
            ],
            slices: [
                OracleSlice(dimension: "model", value: "a", baselineN: 700, baselineRate: 0.024285714285714285, currentN: 700, currentRate: 0.024285714285714285, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "model", value: "b", baselineN: 300, baselineRate: 0.043333333333333335, currentN: 300, currentRate: 0.043333333333333335, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "chat", baselineN: 600, baselineRate: 0.03, currentN: 600, currentRate: 0.03, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "rag", baselineN: 400, baselineRate: 0.03, currentN: 400, currentRate: 0.03, z: 0.0, p: 1.0, q: 1.0),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_volume70.json --metric m`
    static let volume70 = OracleAttribution(
            baselineRows: 1000, currentRows: 700, scale: 0.7,
            rootCauses: [
                OracleCandidate(dimension: "model", elements: ["a"], explains: 1.0, surprise: 0.0),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [49.0, 700.0, 49.0, 700.0, 0.0],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "a", forecast: 28.0, forecastCount: 489.99999999999994, forecastRate: 0.05714285714285715, actual: 28.0, actualCount: 490.0, actualRate: 0.05714285714285714, epRaw: -5.684341886080802e-18, ep: 1.0, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                        OracleElement(value: "b", forecast: 21.0, forecastCount: 210.0, forecastRate: 0.1, actual: 21.0, actualCount: 210.0, actualRate: 0.1, epRaw: 0.0, ep: -0.0, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["a"], explains: 1.0, surprise: 0.0)),
                OracleDimension(
                    name: "route",
                    totals: [49.0, 700.0, 49.0, 700.0, 0.0],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "chat", forecast: 21.0, forecastCount: 420.0, forecastRate: 0.05, actual: 21.0, actualCount: 420.0, actualRate: 0.05, epRaw: 0.0, ep: nil, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                        OracleElement(value: "rag", forecast: 28.0, forecastCount: 280.0, forecastRate: 0.1, actual: 28.0, actualCount: 280.0, actualRate: 0.1, epRaw: 0.0, ep: nil, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: nil),
            ],
            slices: [
                OracleSlice(dimension: "model", value: "a", baselineN: 700, baselineRate: 0.05714285714285714, currentN: 490, currentRate: 0.05714285714285714, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "model", value: "b", baselineN: 300, baselineRate: 0.1, currentN: 210, currentRate: 0.1, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "chat", baselineN: 600, baselineRate: 0.05, currentN: 420, currentRate: 0.05, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "rag", baselineN: 400, baselineRate: 0.1, currentN: 280, currentRate: 0.1, z: 0.0, p: 1.0, q: 1.0),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_single.json --metric m`
    static let single = OracleAttribution(
            baselineRows: 1000, currentRows: 1000, scale: 1.0,
            rootCauses: [
                OracleCandidate(dimension: "tool", elements: ["search"], explains: 0.9942449322639924, surprise: 0.06081299169394055),
                OracleCandidate(dimension: "env", elements: ["prod"], explains: 1.0, surprise: 0.0),
            ],
            dimensions: [
                OracleDimension(
                    name: "env",
                    totals: [45.0, 1000.0, 123.0, 1000.0, 0.078],
                    surpriseSum: 0.0,
                    elements: [
                        OracleElement(value: "prod", forecast: 45.0, forecastCount: 1000.0, forecastRate: 0.045, actual: 123.0, actualCount: 1000.0, actualRate: 0.123, epRaw: 0.078, ep: 1.0, surprise: 0.0, surpriseM1: 0.0, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "env", elements: ["prod"], explains: 1.0, surprise: 0.0)),
                OracleDimension(
                    name: "tool",
                    totals: [45.0, 1000.0, 123.0, 1000.0, 0.078],
                    surpriseSum: 0.13482119076302623,
                    elements: [
                        OracleElement(value: "search", forecast: 15.0, forecastCount: 300.0, forecastRate: 0.05, actual: 93.0, actualCount: 310.0, actualRate: 0.3, epRaw: 0.07678217821782178, ep: 0.9942449322639924, surprise: 0.06081299169394055, surpriseM1: 0.06075386219937742, surpriseM2: 5.912949456312287e-05),
                        OracleElement(value: "none", forecast: 20.0, forecastCount: 500.0, forecastRate: 0.04, actual: 21.0, actualCount: 500.0, actualRate: 0.042, epRaw: 0.001, ep: 0.01294890240601718, surprise: 0.04550224569488176, surpriseM1: 0.04550224569488176, surpriseM2: 0.0),
                        OracleElement(value: "calc", forecast: 10.0, forecastCount: 200.0, forecastRate: 0.05, actual: 9.0, actualCount: 190.0, actualRate: 0.04736842105263158, epRaw: -0.0005555555555555556, ep: -0.007193834670009545, surprise: 0.028505953374203936, surpriseM1: 0.02841346278646549, surpriseM2: 9.249058773844535e-05),
                    ],
                    candidate: OracleCandidate(dimension: "tool", elements: ["search"], explains: 0.9942449322639924, surprise: 0.06081299169394055)),
            ],
            slices: [
                OracleSlice(dimension: "env", value: "prod", baselineN: 1000, baselineRate: 0.045, currentN: 1000, currentRate: 0.123, z: 6.287705973801229, p: 3.2219138635810216e-10, q: 6.443827727162043e-10),
                OracleSlice(dimension: "tool", value: "calc", baselineN: 200, baselineRate: 0.05, currentN: 190, currentRate: 0.04736842105263158, z: -0.12066373101911851, p: 0.903957387490273, q: 0.903957387490273),
                OracleSlice(dimension: "tool", value: "none", baselineN: 500, baselineRate: 0.04, currentN: 500, currentRate: 0.042, z: 0.15947726098102344, p: 0.8732928721410322, q: 0.903957387490273),
                OracleSlice(dimension: "tool", value: "search", baselineN: 300, baselineRate: 0.05, currentN: 310, currentRate: 0.3, z: 8.086911011221071, p: 6.119694491484817e-16, q: 2.447877796593927e-15),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_missing.json --metric m --dims intent,model,region`
    static let missing = OracleAttribution(
            baselineRows: 970, currentRows: 960, scale: 0.9896907216494846,
            rootCauses: [
                OracleCandidate(dimension: "region", elements: ["us"], explains: 0.7353332756133694, surprise: 1.0),
                OracleCandidate(dimension: "intent", elements: ["(missing)"], explains: 0.9857219359302736, surprise: 0.16044201425266427),
                OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.038787296908064456),
            ],
            dimensions: [
                OracleDimension(
                    name: "intent",
                    totals: [18.804123711340207, 960.0, 63.0, 960.0, 0.04603737113402062],
                    surpriseSum: 0.2915795648692102,
                    elements: [
                        OracleElement(value: "(missing)", forecast: 2.9690721649484537, forecastCount: 168.24742268041237, forecastRate: 0.01764705882352941, actual: 48.0, actualCount: 240.0, actualRate: 0.2, epRaw: 0.04228287473114292, ep: 0.9857219359302736, surprise: 0.16044201425266427, surpriseM1: 0.15567931638331522, surpriseM2: 0.004762697869349047),
                        OracleElement(value: "refund", forecast: 7.917525773195877, forecastCount: 395.87628865979383, forecastRate: 0.02, actual: 7.0, actualCount: 340.0, actualRate: 0.020588235294117647, epRaw: 0.00019572347153487164, ep: 0.004562814626372792, surprise: 0.07099880209138784, surpriseM1: 0.06940324737191009, surpriseM2: 0.0015955547194777507),
                        OracleElement(value: "billing", forecast: 7.917525773195877, forecastCount: 395.87628865979383, forecastRate: 0.02, actual: 8.0, actualCount: 380.0, actualRate: 0.021052631578947368, epRaw: 0.00041673889990836695, ep: 0.00971524944335364, surprise: 0.060138748525158145, surpriseM1: 0.060016686908070174, surpriseM2: 0.00012206161708796723),
                    ],
                    candidate: OracleCandidate(dimension: "intent", elements: ["(missing)"], explains: 0.9857219359302736, surprise: 0.16044201425266427)),
                OracleDimension(
                    name: "model",
                    totals: [18.804123711340207, 960.0, 63.0, 960.0, 0.04603737113402062],
                    surpriseSum: 0.038787296908064456,
                    elements: [
                        OracleElement(value: "b", forecast: 10.88659793814433, forecastCount: 544.3298969072165, forecastRate: 0.02, actual: 22.0, actualCount: 530.0, actualRate: 0.04150943396226415, epRaw: 0.012048695128351807, ep: 0.26356287379449345, surprise: 0.02079684679218858, surpriseM1: 0.020725033528662035, surpriseM2: 7.181326352654477e-05),
                        OracleElement(value: "a", forecast: 7.917525773195877, forecastCount: 415.6701030927835, forecastRate: 0.01904761904761905, actual: 41.0, actualCount: 430.0, actualRate: 0.09534883720930233, epRaw: 0.03366599508915764, ep: 0.7364371262055065, surprise: 0.01799045011587588, surpriseM1: 0.017899217683348276, surpriseM2: 9.1232432527605e-05),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.038787296908064456)),
                OracleDimension(
                    name: "region",
                    totals: [18.804123711340207, 960.0, 63.0, 960.0, 0.04603737113402062],
                    surpriseSum: 2.0,
                    elements: [
                        OracleElement(value: "us", forecast: 0.0, forecastCount: 0.0, forecastRate: nil, actual: 63.0, actualCount: 960.0, actualRate: 0.065625, epRaw: 0.023018685567010307, ep: 0.7353332756133694, surprise: 1.0, surpriseM1: 0.5, surpriseM2: 0.5),
                        OracleElement(value: "(missing)", forecast: 16.824742268041238, forecastCount: 890.7216494845361, forecastRate: 0.01888888888888889, actual: 0.0, actualCount: 0.0, actualRate: nil, epRaw: 0.008983799705449214, ep: 0.2869880143951416, surprise: 0.9112859468258274, surpriseM1: 0.4473684210526316, surpriseM2: 0.4639175257731959),
                        OracleElement(value: "eu", forecast: 1.9793814432989691, forecastCount: 69.27835051546393, forecastRate: 0.028571428571428567, actual: 0.0, actualCount: 0.0, actualRate: nil, epRaw: -0.0006987399770904923, ep: -0.022321290008510946, surprise: 0.08871405317417255, surpriseM1: 0.05263157894736842, surpriseM2: 0.03608247422680413),
                    ],
                    candidate: OracleCandidate(dimension: "region", elements: ["us"], explains: 0.7353332756133694, surprise: 1.0)),
            ],
            slices: [
                OracleSlice(dimension: "intent", value: "(missing)", baselineN: 170, baselineRate: 0.01764705882352941, currentN: 240, currentRate: 0.2, z: 5.51191447185542, p: 3.54951406539171e-08, q: 1.774757032695855e-07),
                OracleSlice(dimension: "intent", value: "billing", baselineN: 400, baselineRate: 0.02, currentN: 380, currentRate: 0.021052631578947368, z: 0.10366659150103133, p: 0.9174339398862631, q: 0.9548736621546648),
                OracleSlice(dimension: "intent", value: "refund", baselineN: 400, baselineRate: 0.02, currentN: 340, currentRate: 0.020588235294117647, z: 0.056587663179091516, p: 0.9548736621546648, q: 0.9548736621546648),
                OracleSlice(dimension: "model", value: "a", baselineN: 420, baselineRate: 0.01904761904761905, currentN: 430, currentRate: 0.09534883720930233, z: 4.771836001118425, p: 1.8255412442287443e-06, q: 4.563853110571861e-06),
                OracleSlice(dimension: "model", value: "b", baselineN: 550, baselineRate: 0.02, currentN: 530, currentRate: 0.04150943396226415, z: 2.0531932520198923, p: 0.04005383861960494, q: 0.06675639769934157),
                OracleSlice(dimension: "region", value: "(missing)", baselineN: 900, baselineRate: 0.01888888888888889, currentN: 0, currentRate: nil, z: nil, p: nil, q: nil),
                OracleSlice(dimension: "region", value: "eu", baselineN: 70, baselineRate: 0.02857142857142857, currentN: 0, currentRate: nil, z: nil, p: nil, q: nil),
                OracleSlice(dimension: "region", value: "us", baselineN: 0, baselineRate: nil, currentN: 960, currentRate: 0.065625, z: nil, p: nil, q: nil),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_mean.json --metric m`
    static let mean = OracleAttribution(
            baselineRows: 650, currentRows: 670, scale: 1.0307692307692307,
            rootCauses: [
                OracleCandidate(dimension: "model", elements: ["b"], explains: 1.0246835675660373, surprise: 0.000809911420533143),
                OracleCandidate(dimension: "region", elements: ["eu"], explains: 1.0051736012263404, surprise: 0.00017666122297344683),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [298106.70769230765, 669.9999999999999, 313172.0, 670.0, 22.485510907003402],
                    surpriseSum: 0.0015265813422166907,
                    elements: [
                        OracleElement(value: "b", forecast: 133540.27692307692, forecastCount: 309.23076923076917, forecastRate: 431.84666666666675, actual: 153757.0, actualCount: 320.0, actualRate: 480.490625, epRaw: 22.6583554976097, ep: 1.0246835675660373, surprise: 0.000809911420533143, surpriseM1: 0.0007106865902959981, surpriseM2: 9.922483023714485e-05),
                        OracleElement(value: "a", forecast: 164566.43076923076, forecastCount: 360.7692307692307, forecastRate: 456.1542857142858, actual: 159415.0, actualCount: 350.0, actualRate: 455.4714285714286, epRaw: -0.545816354007745, ep: -0.024683567566037366, surprise: 0.0007166699216835477, surpriseM1: 0.000628828954156958, surpriseM2: 8.784096752658972e-05),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["b"], explains: 1.0246835675660373, surprise: 0.000809911420533143)),
                OracleDimension(
                    name: "region",
                    totals: [298106.70769230765, 669.9999999999999, 313172.0, 670.0, 22.485510907003402],
                    surpriseSum: 0.00030648243650872355,
                    elements: [
                        OracleElement(value: "eu", forecast: 126435.1846153846, forecastCount: 278.30769230769226, forecastRate: 454.3, actual: 137884.0, actualCount: 270.0, actualRate: 510.68148148148146, epRaw: 22.88858655411085, ep: 1.0051736012263404, surprise: 0.00017666122297344683, surpriseM1: 0.00010889819088160443, surpriseM2: 6.77630320918424e-05),
                        OracleElement(value: "us", forecast: 171671.52307692307, forecastCount: 391.6923076923076, forecastRate: 438.2815789473685, actual: 175288.0, actualCount: 400.0, actualRate: 438.22, epRaw: -0.11780693337058809, ep: -0.005173601226340368, surprise: 0.00012982121353527672, surpriseM1: 8.289104684810773e-05, surpriseM2: 4.693016668716899e-05),
                    ],
                    candidate: OracleCandidate(dimension: "region", elements: ["eu"], explains: 1.0051736012263404, surprise: 0.00017666122297344683)),
            ],
            slices: nil)

    /// `python oracles/oracle_attribution.py --pair attr_case_sum.json --metric m --measure sum`
    static let sum = OracleAttribution(
            baselineRows: 300, currentRows: 360, scale: 1.2,
            rootCauses: [
                OracleCandidate(dimension: "model", elements: ["b"], explains: 0.9972299168975074, surprise: 0.0058205522506145566),
                OracleCandidate(dimension: "route", elements: ["chat"], explains: 0.9986149584487529, surprise: 0.0037792406790556968),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [596.7, 360.0, 705.0, 360.0, 108.29999999999995],
                    surpriseSum: 0.009016805411481671,
                    elements: [
                        OracleElement(value: "b", forecast: 180.0, actual: 288.0, ep: 0.9972299168975074, surprise: 0.0058205522506145566, p: 0.30165912518853694, q: 0.4085106382978723),
                        OracleElement(value: "a", forecast: 416.7, actual: 417.0, ep: 0.002770083102493181, surprise: 0.0031962531608671144, p: 0.698340874811463, q: 0.5914893617021276),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["b"], explains: 0.9972299168975074, surprise: 0.0058205522506145566)),
                OracleDimension(
                    name: "route",
                    totals: [596.6999999999999, 360.0, 705.0, 360.0, 108.30000000000007],
                    surpriseSum: 0.0066186994630876295,
                    elements: [
                        OracleElement(value: "chat", forecast: 227.85, actual: 336.0, ep: 0.9986149584487529, surprise: 0.0037792406790556968, p: 0.38185017596782306, q: 0.4765957446808511),
                        OracleElement(value: "rag", forecast: 368.84999999999997, actual: 369.0, ep: 0.0013850415512468514, surprise: 0.0028394587840319327, p: 0.618149824032177, q: 0.5234042553191489),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["chat"], explains: 0.9986149584487529, surprise: 0.0037792406790556968)),
            ],
            slices: nil)

    /// `python oracles/oracle_attribution.py --pair attr_case_sum.json --metric m --measure sum --forecast raw`
    static let sumRaw = OracleAttribution(
            baselineRows: 300, currentRows: 360, scale: 1.0,
            rootCauses: [
                OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.009016805411481671),
                OracleCandidate(dimension: "route", elements: ["chat"], explains: 0.7033694344163658, surprise: 0.003779240679055669),
            ],
            dimensions: [
                OracleDimension(
                    name: "model",
                    totals: [497.25, 300.0, 705.0, 360.0, 207.75],
                    surpriseSum: 0.009016805411481671,
                    elements: [
                        OracleElement(value: "b", forecast: 150.0, actual: 288.0, ep: 0.6642599277978339, surprise: 0.0058205522506145566, p: 0.30165912518853694, q: 0.4085106382978723),
                        OracleElement(value: "a", forecast: 347.25, actual: 417.0, ep: 0.33574007220216606, surprise: 0.0031962531608671144, p: 0.698340874811463, q: 0.5914893617021276),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.009016805411481671)),
                OracleDimension(
                    name: "route",
                    totals: [497.25, 300.0, 705.0, 360.0, 207.75],
                    surpriseSum: 0.006618699463087602,
                    elements: [
                        OracleElement(value: "chat", forecast: 189.875, actual: 336.0, ep: 0.7033694344163658, surprise: 0.003779240679055669, p: 0.381850175967823, q: 0.4765957446808511),
                        OracleElement(value: "rag", forecast: 307.375, actual: 369.0, ep: 0.29663056558363415, surprise: 0.0028394587840319327, p: 0.618149824032177, q: 0.5234042553191489),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["chat"], explains: 0.7033694344163658, surprise: 0.003779240679055669)),
            ],
            slices: nil)

    /// `python oracles/oracle_attribution.py --pair attr_case_volume.json --metric m`
    static let volume = OracleAttribution(
            baselineRows: 800, currentRows: 1200, scale: 1.5,
            rootCauses: [
                OracleCandidate(dimension: "route", elements: ["rag"], explains: 0.9390243902439025, surprise: 0.014229076241561858),
                OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.00903667743410766),
            ],
            dimensions: [
                OracleDimension(
                    name: "route",
                    totals: [24.0, 1200.0, 36.0, 1200.0, 0.009999999999999998],
                    surpriseSum: 0.024320188267590314,
                    elements: [
                        OracleElement(value: "rag", forecast: 9.0, forecastCount: 600.0, forecastRate: 0.015, actual: 16.0, actualCount: 400.0, actualRate: 0.04, epRaw: 0.011, ep: 0.9390243902439025, surprise: 0.014229076241561858, surpriseM1: 0.002125157264340389, surpriseM2: 0.012103918977221469),
                        OracleElement(value: "chat", forecast: 15.0, forecastCount: 600.0, forecastRate: 0.025, actual: 20.0, actualCount: 800.0, actualRate: 0.025, epRaw: 0.0007142857142857143, ep: 0.06097560975609757, surprise: 0.010091112026028456, surpriseM1: 0.0014741913793417105, surpriseM2: 0.008616920646686746),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["rag"], explains: 0.9390243902439025, surprise: 0.014229076241561858)),
                OracleDimension(
                    name: "model",
                    totals: [24.0, 1200.0, 36.0, 1200.0, 0.009999999999999998],
                    surpriseSum: 0.00903667743410766,
                    elements: [
                        OracleElement(value: "b", forecast: 12.0, forecastCount: 600.0, forecastRate: 0.02, actual: 14.0, actualCount: 600.0, actualRate: 0.023333333333333334, epRaw: 0.0016666666666666668, ep: 0.16666666666666669, surprise: 0.005022485205112261, surpriseM1: 0.005022485205112261, surpriseM2: 0.0),
                        OracleElement(value: "a", forecast: 12.0, forecastCount: 600.0, forecastRate: 0.02, actual: 22.0, actualCount: 600.0, actualRate: 0.03666666666666667, epRaw: 0.008333333333333333, ep: 0.8333333333333333, surprise: 0.004014192228995399, surpriseM1: 0.004014192228995399, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.00903667743410766)),
            ],
            slices: [
                OracleSlice(dimension: "route", value: "chat", baselineN: 400, baselineRate: 0.025, currentN: 800, currentRate: 0.025, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "rag", baselineN: 400, baselineRate: 0.015, currentN: 400, currentRate: 0.04, z: 2.161941083800557, p: 0.030622717733508314, q: 0.12249087093403326),
                OracleSlice(dimension: "model", value: "a", baselineN: 400, baselineRate: 0.02, currentN: 600, currentRate: 0.03666666666666667, z: 1.5135886972883328, p: 0.13013018957645864, q: 0.2602603791529173),
                OracleSlice(dimension: "model", value: "b", baselineN: 400, baselineRate: 0.02, currentN: 600, currentRate: 0.023333333333333334, z: 0.35204939176985206, p: 0.7248012212397459, q: 0.9664016283196611),
            ])

    /// `python oracles/oracle_attribution.py --pair attr_case_volume.json --metric m --forecast raw`
    static let volumeRaw = OracleAttribution(
            baselineRows: 800, currentRows: 1200, scale: 1.0,
            rootCauses: [
                OracleCandidate(dimension: "route", elements: ["rag"], explains: 0.8823529411764706, surprise: 0.014229076241561858),
                OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.00903667743410766),
            ],
            dimensions: [
                OracleDimension(
                    name: "route",
                    totals: [16.0, 800.0, 36.0, 1200.0, 0.009999999999999998],
                    surpriseSum: 0.024320188267590314,
                    elements: [
                        OracleElement(value: "rag", forecast: 6.0, forecastCount: 400.0, forecastRate: 0.015, actual: 16.0, actualCount: 400.0, actualRate: 0.04, epRaw: 0.0125, ep: 0.8823529411764706, surprise: 0.014229076241561858, surpriseM1: 0.002125157264340389, surpriseM2: 0.012103918977221469),
                        OracleElement(value: "chat", forecast: 10.0, forecastCount: 400.0, forecastRate: 0.025, actual: 20.0, actualCount: 800.0, actualRate: 0.025, epRaw: 0.0016666666666666668, ep: 0.11764705882352941, surprise: 0.010091112026028456, surpriseM1: 0.0014741913793417105, surpriseM2: 0.008616920646686746),
                    ],
                    candidate: OracleCandidate(dimension: "route", elements: ["rag"], explains: 0.8823529411764706, surprise: 0.014229076241561858)),
                OracleDimension(
                    name: "model",
                    totals: [16.0, 800.0, 36.0, 1200.0, 0.009999999999999998],
                    surpriseSum: 0.00903667743410766,
                    elements: [
                        OracleElement(value: "b", forecast: 8.0, forecastCount: 400.0, forecastRate: 0.02, actual: 14.0, actualCount: 600.0, actualRate: 0.023333333333333334, epRaw: 0.002, ep: 0.16666666666666666, surprise: 0.005022485205112261, surpriseM1: 0.005022485205112261, surpriseM2: 0.0),
                        OracleElement(value: "a", forecast: 8.0, forecastCount: 400.0, forecastRate: 0.02, actual: 22.0, actualCount: 600.0, actualRate: 0.03666666666666667, epRaw: 0.01, ep: 0.8333333333333334, surprise: 0.004014192228995399, surpriseM1: 0.004014192228995399, surpriseM2: 0.0),
                    ],
                    candidate: OracleCandidate(dimension: "model", elements: ["b", "a"], explains: 1.0, surprise: 0.00903667743410766)),
            ],
            slices: [
                OracleSlice(dimension: "route", value: "chat", baselineN: 400, baselineRate: 0.025, currentN: 800, currentRate: 0.025, z: 0.0, p: 1.0, q: 1.0),
                OracleSlice(dimension: "route", value: "rag", baselineN: 400, baselineRate: 0.015, currentN: 400, currentRate: 0.04, z: 2.161941083800557, p: 0.030622717733508314, q: 0.12249087093403326),
                OracleSlice(dimension: "model", value: "a", baselineN: 400, baselineRate: 0.02, currentN: 600, currentRate: 0.03666666666666667, z: 1.5135886972883328, p: 0.13013018957645864, q: 0.2602603791529173),
                OracleSlice(dimension: "model", value: "b", baselineN: 400, baselineRate: 0.02, currentN: 600, currentRate: 0.023333333333333334, z: 0.35204939176985206, p: 0.7248012212397459, q: 0.9664016283196611),
            ])
}
