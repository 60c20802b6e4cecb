/// The shopassist application the demo pretends to run: its intents, texts, models and tools.
///
/// Kept apart from the generator so that the story (what users ask, what the assistant says)
/// can be read and edited without reading the sampling code. The texts are careful about one
/// thing: no ordinary answer may match the refusal rule of `DemoCorpus.workspaceConfig`, or
/// the demo's known incident would be polluted by false refusals.
enum DemoCatalog {
    /// One kind of request: how often it comes, what it touches, how often it is refused.
    struct Intent {
        var name: String
        var share: Double
        var usesRetrieval: Bool
        var tools: [String]
        var baselineRefusal: Double
        /// Median number of answer sentences.
        var sentences: Double
        var questions: [String]
        var answers: [String]
    }

    /// A model the app calls, with the bench README's prices and latency model.
    struct Model {
        var alias: String
        var name: String
        var provider: String
        var dollarsPerMillionIn: Double
        var dollarsPerMillionOut: Double
        var firstTokenMillis: Double
        var prefillMillisPerToken: Double
        var decodeMillisPerToken: Double
    }

    /// A tool the app executes, with its median latency and ordinary failure rate.
    struct Tool {
        var name: String
        var medianMillis: Double
        var errorRate: Double
        var version: String
    }

    static let service = "shopassist-api"
    static let promptID = "support-answer"
    static let indexName = "support-kb"

    static let modelBefore = Model(alias: "gpt-4o", name: "gpt-4o-2024-08-06", provider: "openai",
                                   dollarsPerMillionIn: 2.50, dollarsPerMillionOut: 10.00,
                                   firstTokenMillis: 420, prefillMillisPerToken: 0.070, decodeMillisPerToken: 14.0)
    static let modelAfter = Model(alias: "gpt-4.1", name: "gpt-4.1-2025-04-14", provider: "openai",
                                  dollarsPerMillionIn: 2.00, dollarsPerMillionOut: 8.00,
                                  firstTokenMillis: 400, prefillMillisPerToken: 0.062, decodeMillisPerToken: 12.5)

    static let tools: [String: Tool] = [
        "order_lookup": Tool(name: "order_lookup", medianMillis: 140, errorRate: 0.015, version: "1.4.2"),
        "refund_check": Tool(name: "refund_check", medianMillis: 210, errorRate: 0.012, version: "1.0.3"),
        "shipping_estimate": Tool(name: "shipping_estimate", medianMillis: 95, errorRate: 0.010, version: "0.9.1"),
        "invoice_lookup": Tool(name: "invoice_lookup", medianMillis: 160, errorRate: 0.012, version: "2.2.0"),
        "create_ticket": Tool(name: "create_ticket", medianMillis: 330, errorRate: 0.020, version: "2.1.0"),
    ]

    /// System-prompt tokens per prompt version: v2 adds a friendlier persona (95 tokens).
    static func systemPromptTokens(_ version: String) -> Int {
        version == "v2" ? 735 : 640
    }

    /// The template text a prompt version hashes to; only its hash appears in the corpus.
    static func promptTemplate(_ version: String) -> String {
        version == "v2"
            ? "You are ShopAssist, a warm and upbeat support agent. Greet the customer, answer from the context, close with an offer to help further. Follow the refunds policy strictly."
            : "You are ShopAssist, a support agent for an online shop. Answer from the context and the tool results. Be brief."
    }

    static let intents: [Intent] = [
        Intent(name: "order_status", share: 0.20, usesRetrieval: false, tools: ["order_lookup"], baselineRefusal: 0.008, sentences: 2,
               questions: ["Where is my order {order}?", "Can you check the status of order {order}?",
                           "My order {order} still hasn't arrived.", "Has my {product} shipped yet? Order {order}.",
                           "When will order {order} be delivered?", "Tracking for {order} hasn't moved in 3 days, what's going on?"],
               answers: ["Your order {order} shipped yesterday and is on its way.",
                         "The tracking shows it is at the local delivery depot.",
                         "Expected delivery is within 2 business days.",
                         "You can follow it from the Orders page in your account.",
                         "If it has not arrived by Friday, let me know and I will open a claim."]),
        Intent(name: "refund", share: 0.13, usesRetrieval: true, tools: ["order_lookup", "refund_check"], baselineRefusal: 0.02, sentences: 3,
               questions: ["I want a refund for order {order}.", "How do I get my money back for the {product}?",
                           "Can I get a refund on my {product}? It arrived {defect}.",
                           "I was charged twice for order {order}, please refund me.",
                           "What's the status of my refund for order {order}?",
                           "The {product} arrived {defect}. Can you refund it?"],
               answers: ["Refunds go back to the original payment method within 5 to 7 business days.",
                         "Order {order} is eligible for a full refund.",
                         "I have started the refund request; you will get a confirmation email.",
                         "Items must be returned unused unless they arrived damaged.",
                         "Duplicate charges are usually released by your bank within 3 days."]),
        Intent(name: "returns", share: 0.10, usesRetrieval: true, tools: [], baselineRefusal: 0.008, sentences: 3,
               questions: ["How do I return my {product}?", "What is your return policy for {category}?",
                           "Can I return a {product} after 30 days?", "Do I have to pay for return shipping?",
                           "I lost the receipt, can I still return the {product}?"],
               answers: ["You can return most items within 30 days of delivery.",
                         "Start a return from the Orders page and print the prepaid label.",
                         "Return shipping is free for damaged or wrong items.",
                         "Sale items can be returned for store credit.",
                         "Without a receipt we can still find the order by your email address."]),
        Intent(name: "shipping", share: 0.10, usesRetrieval: true, tools: ["shipping_estimate"], baselineRefusal: 0.006, sentences: 2.5,
               questions: ["How long does shipping to {country} take?", "Do you ship to {country}?",
                           "How much is express shipping for a {product}?",
                           "Can I change the delivery address for order {order}?"],
               answers: ["Standard shipping to {country} takes 3 to 7 business days.",
                         "Express shipping arrives in 1 to 2 business days.",
                         "We ship to over 40 countries; duties are shown at checkout.",
                         "You can change the address until the order is packed."]),
        Intent(name: "product_question", share: 0.16, usesRetrieval: true, tools: [], baselineRefusal: 0.008, sentences: 3,
               questions: ["Is the {device} waterproof?", "What's the warranty on the {product}?",
                           "Does the {product} come in other colors?",
                           "What is the difference between the {product} and the {product2}?",
                           "Is the {device} compatible with {platform}?"],
               answers: ["It is rated IP67, so it handles rain and splashes.",
                         "It comes with a two-year limited warranty.",
                         "It is available in black, white and navy.",
                         "The main differences are battery life and weight.",
                         "It works with {platform} through the companion app."]),
        Intent(name: "account", share: 0.08, usesRetrieval: true, tools: [], baselineRefusal: 0.012, sentences: 2.5,
               questions: ["How do I reset my password?", "I can't log in to my account.",
                           "How do I change my email address?", "How do I delete my account?",
                           "Why was my account locked?"],
               answers: ["Use the Forgot password link on the sign-in page.",
                         "Accounts lock after five failed attempts and unlock after 30 minutes.",
                         "You can change your email under Settings, then Profile.",
                         "Deleting your account removes your order history after 30 days."]),
        Intent(name: "billing", share: 0.07, usesRetrieval: false, tools: ["invoice_lookup"], baselineRefusal: 0.010, sentences: 2.5,
               questions: ["Why was I charged {amount} on my card?", "Can I get an invoice for order {order}?",
                           "Which payment methods do you accept?", "My card was declined, what should I do?"],
               answers: ["That charge of {amount} matches your subscription renewal.",
                         "You can download invoices from the Orders page.",
                         "We accept cards, PayPal and bank transfer.",
                         "Declines usually come from the bank; please check the card details and try again."]),
        Intent(name: "troubleshooting", share: 0.11, usesRetrieval: true, tools: [], baselineRefusal: 0.006, sentences: 4,
               questions: ["My {device} won't turn on.", "The {device} keeps disconnecting.",
                           "How do I update the firmware on my {device}?",
                           "The app shows error {errcode} when I pay."],
               answers: ["Hold the power button for 10 seconds to reset it.",
                         "Make sure the firmware is up to date in the companion app.",
                         "Forget the device in Bluetooth settings and pair it again.",
                         "Charge it for at least 30 minutes before trying again.",
                         "If none of this works, we can replace it under warranty."]),
        Intent(name: "complaint", share: 0.05, usesRetrieval: false, tools: ["create_ticket"], baselineRefusal: 0.010, sentences: 3,
               questions: ["This is the third time order {order} is late. I want to speak to a manager.",
                           "Your courier left my {product} in the rain.",
                           "The {product} I received is {defect} and nobody answers my emails."],
               answers: ["I am sorry about this experience.",
                         "I have opened a ticket and a supervisor will contact you within 24 hours.",
                         "I have added a note to your account so the team sees the history.",
                         "As an apology we can offer free express shipping on your next order."]),
    ]

    static let products = ["wireless headset", "coffee grinder", "yoga mat", "smart watch", "desk lamp",
                           "backpack", "air fryer", "phone case", "bluetooth speaker", "winter jacket",
                           "electric kettle", "standing desk", "robot vacuum", "e-reader", "mechanical keyboard",
                           "baby monitor", "office chair"]
    /// Products that can fail to turn on or pair: what troubleshooting questions are about.
    static let devices = ["wireless headset", "smart watch", "bluetooth speaker", "robot vacuum", "e-reader",
                          "baby monitor", "air fryer", "mechanical keyboard"]
    static let defects = ["broken", "damaged", "in the wrong size", "with missing parts", "scratched"]
    static let countries = ["Canada", "Germany", "France", "Japan", "Australia", "Mexico", "Ireland", "the UK", "Spain"]
    static let categories = ["electronics", "shoes", "clothing", "furniture", "kitchen items", "sale items"]
    static let platforms = ["iPhone", "Android", "Windows", "Mac", "Alexa"]
    static let amounts = ["$4.99", "$12.00", "$19.99", "$49.95", "$129.00"]
    static let errorCodes = ["E101", "E204", "PAY-17", "AUTH-3"]

    /// Ordinary refusals, as models word them (one with typographic apostrophes).
    static let refusals = [
        "I'm sorry, but I can't help with that.",
        "I'm sorry, but I can't help with that request.",
        "Sorry, I can't help with that. Is there anything else I can do for you?",
        "I can't assist with that.",
        "I'm unable to help with that request.",
        "I\u{2019}m sorry, but I can\u{2019}t help with that.",
    ]

    /// What prompt v2's stricter refunds wording makes the model say to refund requests.
    static let refundRefusals = [
        "I'm sorry, but I can't help with that.",
        "I'm sorry, but I can't help with refund requests. Please contact our billing team.",
        "I\u{2019}m sorry, but I can\u{2019}t assist with refunds here.",
        "I'm unable to help with refunds or chargebacks.",
    ]

    static let dontKnow = [
        "I don't know the answer to that based on our help center.",
        "I'm not sure. I couldn't find that in our help center articles.",
    ]

    static let toolTrouble = "I'm having trouble looking that up right now. Please try again in a few minutes, or reply here and a colleague will follow up."

    /// Prompt v2's persona: a greeting and a closing offer around the answer.
    static let v2Openers = ["Thanks for reaching out! ", "Happy to help! ", "Thanks for your message. "]
    static let v2Closers = [" Is there anything else I can help you with?", " Let me know if you have other questions."]
}
