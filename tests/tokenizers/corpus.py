"""Test corpus for the tokenizer comparisons (bytes; some deliberately invalid UTF-8)."""
import random
import unicodedata

PROSE = [
    "The quick brown fox jumps over the lazy dog.",
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the "
    "age of foolishness, it was the epoch of belief, it was the epoch of incredulity.",
    "On-device LLM apps need the tokenizer in the same small C++ runtime as the model: no Python, "
    "no Rust toolchain, no network.",
    "I'm sure you're right; they've said it's fine, we'd agree and she'll come. DON'T SHOUT, I'M HERE! "
    "You'Re wElL-TrAvElLeD'S",
    "Mr. O'Neil's café—naïve résumé, coöperate, façade, jalapeño, Zürich, Ærøskøbing.",
    "Hello world", " Hello world", "Hello  world", "hello\nworld\n", "HELLO WORLD!!!",
]

CODE = [
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "#include <stdio.h>\nint main(void) {\n\tprintf(\"%d\\n\", 42);\n\treturn 0;\n}\n",
    "for (size_t i = 0; i < n; ++i) { sum += a[i] * b[i]; }  // dot product",
    '{"key": [1, 2.5e-3, null, true], "nested": {"a": "b\\u00e9"}}',
    "<html><body><div class=\"x\">Hi &amp; bye</div></body></html>",
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;",
    "x = lambda a, b: a**b // 3 % 7 if a != b else ~a | b & 0xFF ^ 0b1010",
    "    indented\n        more\n\t\ttabs\r\n\r\nwindows lines\r\n",
    "https://example.com/path/to/file.html?query=1&x=y#frag /usr/local/bin/",
]

NUMBERS = [
    "1", "12", "123", "1234", "12345678901234567890", "3.14159265358979", "1,000,000.00",
    "+1 (555) 123-4567", "2024-01-31T23:59:59Z", "0x7fffffff", "1e10 -2.5E-3", "٠١٢٣٤٥٦٧٨٩ १२३४५ ١٢٣",
    "ⅫⅣ ½ ¾ ² ³", "9999999999 0000 007",
]

WHITESPACE = [
    "", " ", "  ", "   ", "\n", "\n\n", "\n\n\n\n", "\t", "\t\t\t", "\r\n", " \n", "\n ", "a \n b",
    "a  b   c    d", "   leading", "trailing   ", " \t \n \r\n  x", "x\n\n\n   \n\ny", "\u00a0nbsp\u00a0",
    "\u3000ideographic\u3000space", "em\u2003space\u2009thin", "a\u2028b\u2029c", "end with space ",
    "multiple\n\n\nnewlines\n\n", "                                        forty spaces",
]

SCRIPTS = [
    "你好，世界！今天天气很好，我们去公园散步吧。",
    "日本語のテキスト：ひらがな、カタカナ、漢字を含みます。",
    "한국어 텍스트입니다. 안녕하세요, 세상!",
    "مرحبا بالعالم! هذه جملة باللغة العربية مع أرقام ١٢٣.",
    "नमस्ते दुनिया! यह हिन्दी में एक वाक्य है। क्षत्रिय, द्वितीय, श्रृंखला",
    "Привет, мир! Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Γειά σου Κόσμε! Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "שלום עולם! זה משפט בעברית.",
    "สวัสดีชาวโลก ภาษาไทยไม่มีช่องว่างระหว่างคำ",
    "Tiếng Việt có dấu: Chào mừng bạn đến với thế giới.",
    "ქართული ენა, Հայերեն լեզու, ᎠᏍᎦᏯ, ትግርኛ",
    "e\u0301 a\u0300 o\u0308 n\u0303 \u1100\u1161\u11a8 A\u030a \u0041\u0327\u0301",  # decomposed (NFC)
    "ﬁ ﬀ Ⅻ ℌ ㈱ ｆｕｌｌｗｉｄｔｈ　ＡＢＣ １２３",
    "ǅungla ǈ ǋ ᾈ ᾉ Σίσυφος ſtraße STRASSE İstanbul ı",
]

EMOJI = [
    "👋🏽 Hello! 👨‍👩‍👧‍👦 family 🏳️‍🌈 flag 🧑🏿‍💻 coder 👩‍❤️‍💋‍👨 kiss",
    "🇺🇸🇬🇧🇯🇵 flags ❤️ ✔️ ☺️ 1️⃣ #️⃣",
    "😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘",
    "text🙂text 🙂 text 🙂🙂🙂",
]

SPECIAL = [
    "<|endoftext|>", "Hello<|endoftext|>world", "<|endoftext|><|endoftext|>", "<|endofprompt|> x",
    "<|fim_prefix|>def<|fim_suffix|>pass<|fim_middle|>", "<|begin_of_text|>Hi<|end_of_text|>",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", "<think>\nhmm\n</think>",
    "<s>Hello</s>", "<s> [INST] hi [/INST]", "<bos><start_of_turn>user\nhi<end_of_turn>",
    "<|endof", "<|endoftext", "<|endoftext|", "<unk>", "<pad><mask>", "▁▁ spaces ▁", "<0x41>",
]

INVALID = [
    b"\xff", b"\xfe\xff", b"abc\x80def", b"\xe4\xbd", b"\xe4\xbd\xa0\xe5", b"\xed\xa0\x80 surrogate",
    b"\xc0\xaf overlong", b"\xf4\x90\x80\x80 too big", b"ok \xf0\x9f\x98 broken emoji",
    b"\x80\x80\x80", b"mixed \xe2\x82\xac \xe2\x82 \xc3\xa9\xc3", b"\x00nul\x00byte",
]


def _block_texts():
    """Every assigned, non-control code point of common Unicode blocks, in 48-char texts."""
    blocks = [
        (0x0020, 0x007E), (0x00A1, 0x017F), (0x0180, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF),
        (0x0530, 0x058F), (0x0590, 0x05FF), (0x0600, 0x06FF), (0x0900, 0x097F), (0x0980, 0x09FF),
        (0x0E00, 0x0E7F), (0x10A0, 0x10FF), (0x1100, 0x11FF), (0x2000, 0x206F), (0x2070, 0x209F),
        (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2500, 0x257F),
        (0x3000, 0x303F), (0x3040, 0x309F), (0x30A0, 0x30FF), (0x4E00, 0x4FFF), (0x9F00, 0x9FFF),
        (0xAC00, 0xAD7F), (0xFF00, 0xFFEF), (0x1F300, 0x1F3FF), (0x1F600, 0x1F64F),
        (0x1F900, 0x1F9FF),
    ]
    out = []
    for lo, hi in blocks:
        chars = []
        for cp in range(lo, hi + 1):
            c = chr(cp)
            cat = unicodedata.category(c)
            # Unassigned, surrogate, private use and format/control characters are left out:
            # U+FEFF and friends are whitespace in JavaScript regexes but not in Unicode.
            if cat in ("Cn", "Cs", "Co", "Cc", "Cf"):
                continue
            chars.append(c)
        for i in range(0, len(chars), 48):
            out.append("".join(chars[i:i + 48]))
    return out


def _random_texts(n, seed=1234):
    rng = random.Random(seed)
    pools = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "0123456789", " ", "  \n\t", ".,;:!?'\"()[]{}<>-_/\\@#$%^&*+=~`|",
        "你好世界日本語テキストひらがな한국어", "мирПриветЖжЁё", "مرحبا", "नमस्ते", "αβγΔΩ",
        "éèêëàâäôöûüçñ", "\u0301\u0308\u0327", "👋🏽👨‍👩‍👧😀🇺🇸", "'s 're 've 'm 'll 'd 'S 'T",
    ]
    out = []
    for _ in range(n):
        length = rng.randint(1, 60)
        s = []
        for _ in range(length):
            pool = rng.choice(pools)
            run = rng.randint(1, 6)
            s.append("".join(rng.choice(pool) for _ in range(run)))
        out.append("".join(s))
    return out


def corpus(n_random=150):
    """Returns a list of (category, bytes)."""
    items = []
    for cat, texts in (("prose", PROSE), ("code", CODE), ("numbers", NUMBERS),
                       ("whitespace", WHITESPACE), ("scripts", SCRIPTS), ("emoji", EMOJI),
                       ("special", SPECIAL)):
        items += [(cat, t.encode("utf-8")) for t in texts]
    items += [("invalid", b) for b in INVALID]
    items += [("blocks", t.encode("utf-8")) for t in _block_texts()]
    items += [("random", t.encode("utf-8")) for t in _random_texts(n_random)]
    # A longer document built from everything above.
    items.append(("long", b"\n\n".join(b for _, b in items if b and b"\xff" not in b)[:20000]))
    return items


def repaired(b: bytes) -> str:
    """The library's documented replacement for invalid UTF-8 (same as WHATWG TextDecoder)."""
    return b.decode("utf-8", errors="replace")
