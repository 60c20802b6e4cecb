import Testing
@testable import Ingest

@Suite struct InputHashTests {
    @Test(arguments: [
        ("Where is my order A-10442?", "where is my order a 10442"),
        ("  WHERE is   my order a-10442 !! ", "where is my order a 10442"),
        ("where is my order: a10442", "where is my order a10442"),
        ("Can’t log in", "can t log in"),
        ("Café crème?", "cafe creme"),
        ("ＦＵＬＬ width", "full width"),
        ("", ""),
        ("?!", ""),
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(InputHash.normalize(input) == expected)
    }

    @Test func variantsOfOneQuestionHashAlike() {
        let variants = ["Do you ship to Ireland?", "do you ship to ireland", "DO YOU SHIP TO IRELAND??", "Do you ship  to Ireland ?"]
        #expect(Set(variants.map(InputHash.of)).count == 1)
        #expect(InputHash.of("Do you ship to Iceland?") != InputHash.of(variants[0]))
        #expect(InputHash.of(variants[0]).count == 16)
        // The ASCII fast path and the Unicode path agree.
        #expect(InputHash.normalize("Hello, World 42") == InputHash.normalize("Hello, World 42\u{200B}"))
    }
}
