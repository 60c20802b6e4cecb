import Store
import Testing

/// Paths split at their last `/`, as Foundation's path functions would, one-character paths
/// included (Foundation traps on `"x"`).
@Suite struct PathTextTests {
    @Test(arguments: [
        ("a/b/c", "a/b", "c"), ("c", "", "c"), ("x", "", "x"), ("/c", "/", "c"), ("a/b/", "a", "b"), ("x/", "", "x"),
        ("/", "/", "/"), ("", "", ""), ("./x", ".", "x"),
    ])
    func splits(_ path: String, _ folder: String, _ name: String) {
        #expect(PathText.folder(of: path) == folder)
        #expect(PathText.name(of: path) == name)
    }

    @Test func joins() {
        #expect(PathText.join("", "q") == "q" && PathText.join("a", "q") == "a/q" && PathText.join("a/", "q") == "a/q")
    }
}
