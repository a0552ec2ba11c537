"""Demo content, written by the Intervista team: templates, jobs and candidates."""

from __future__ import annotations

from typing import Any


def _q(
    text: str,
    qtype: str,
    difficulty: str,
    expected: str,
    criteria: list[str],
    minutes: int = 5,
    problem: str | None = None,
) -> dict[str, Any]:
    return {
        "coding_problem_ref": problem,
        "question_text": text,
        "question_type": qtype,
        "difficulty": difficulty,
        "expected_duration_minutes": minutes,
        "expected_answer": expected,
        "evaluation_criteria": criteria,
    }


FRONTEND_QUESTIONS = [
    _q(
        "Explain how the browser's event loop runs promises and setTimeout callbacks, and "
        "predict the order of logs for a small example of your choice.",
        "technical",
        "medium",
        "Synchronous code runs first; then the microtask queue (promise reactions, "
        "queueMicrotask) is drained completely; then one macrotask (setTimeout, I/O) runs, "
        "followed again by all microtasks. So promise callbacks log before timeouts.",
        [
            "call stack runs synchronous code first",
            "microtasks drain before the next task",
            "setTimeout is a macrotask",
            "correct predicted order",
        ],
    ),
    _q(
        "A React list re-renders slowly when one item changes. How would you find the cause "
        "and what would you change?",
        "technical",
        "medium",
        "Measure with the React Profiler; look for parents re-rendering all rows, unstable "
        "keys, new object/function props each render. Fix with stable keys, React.memo on rows, "
        "useMemo/useCallback for props, state colocated with the item, virtualisation for "
        "long lists.",
        [
            "measure before changing (Profiler)",
            "stable keys",
            "memoisation of rows and props",
            "virtualise long lists",
        ],
    ),
    _q(
        "What does it take to make a custom dropdown component accessible?",
        "technical",
        "medium",
        "Use a native select where possible; otherwise the ARIA combobox/listbox pattern with "
        "roles and aria-expanded/aria-activedescendant, full keyboard support (arrows, Enter, "
        "Escape, Home/End, type-ahead), visible focus, labels, and testing with a screen reader.",
        [
            "prefer native elements",
            "ARIA roles and states",
            "keyboard operation",
            "focus management and labels",
        ],
    ),
    _q(
        "Merge overlapping intervals: solve the problem in the editor, then explain your "
        "approach and its complexity.",
        "coding",
        "medium",
        "Sort the intervals by start, then sweep: extend the last merged interval while the "
        "next one overlaps, otherwise start a new one. O(n log n) for the sort, O(n) extra space.",
        [
            "sorts by start",
            "merges while overlapping",
            "handles touching intervals",
            "states O(n log n)",
        ],
        minutes=15,
        problem="merge-intervals",
    ),
]

BACKEND_QUESTIONS = [
    _q(
        "How does Python's GIL affect a web service, and when would you use threads, processes "
        "or asyncio?",
        "technical",
        "hard",
        "The GIL lets one thread run Python bytecode at a time, so threads help I/O-bound work "
        "but not CPU-bound work. Use asyncio for many concurrent I/O waits, threads for blocking "
        "libraries, processes (or native extensions) for CPU-bound work.",
        [
            "what the GIL serialises",
            "I/O-bound vs CPU-bound",
            "asyncio for many connections",
            "processes for CPU work",
        ],
    ),
    _q(
        "Two requests update the same account balance at the same time. How do you keep it "
        "correct in PostgreSQL?",
        "technical",
        "hard",
        "Do the read-modify-write in one transaction with SELECT ... FOR UPDATE, or a single "
        "atomic UPDATE balance = balance + x with a check constraint, or optimistic locking with "
        "a version column and retry; SERIALIZABLE isolation with retries also works.",
        [
            "identifies the lost update",
            "row lock or atomic update",
            "optimistic locking option",
            "retries on conflict",
        ],
    ),
    _q(
        "Design the database schema and API for a URL shortener's create and redirect endpoints.",
        "system_design",
        "hard",
        "Table with id, short code (unique index), target URL, owner, created and expiry. POST "
        "creates a code (base62 of an id or random with collision check), GET /code returns a "
        "301/302 redirect; cache hot codes; validate URLs; rate-limit creation.",
        ["unique short code generation", "indexes", "redirect status codes", "caching and limits"],
    ),
    _q(
        "Explain how you would find and fix a slow endpoint in production.",
        "technical",
        "hard",
        "Reproduce with metrics and tracing; profile; look at database queries (EXPLAIN ANALYZE, "
        "N+1, missing indexes), external calls and serialisation; fix the biggest cost first; "
        "verify with a benchmark and monitoring.",
        ["measure first", "query analysis", "N+1 and indexes", "verify the fix"],
    ),
    _q(
        "Most frequent words: solve the problem in the editor, then give the complexity of "
        "your solution.",
        "coding",
        "hard",
        "Count with a dict/Counter in O(n), then select with a heap of size k in O(m log k) or "
        "sort in O(m log m); handle ties deterministically and normalise case and punctuation.",
        [
            "hash-map counting",
            "heap or sort selection",
            "complexity stated",
            "ties and normalisation",
        ],
        minutes=15,
        problem="top-k-words",
    ),
]

SYSTEM_DESIGN_QUESTIONS = [
    _q(
        "Design a notification service that sends email, SMS and push messages to millions of "
        "users.",
        "system_design",
        "hard",
        "API accepts requests into a durable queue; per-channel workers with provider adapters, "
        "retries with back-off and dead-letter queues; user preferences and rate limits; "
        "idempotency keys; templates; delivery status tracking and metrics.",
        [
            "queue-based decoupling",
            "retries and dead letters",
            "idempotency",
            "preferences and rate limits",
            "observability",
        ],
        minutes=15,
    ),
    _q(
        "How would you design the storage for a chat application's message history?",
        "system_design",
        "hard",
        "Partition by conversation, order by time or sequence id; write-optimised store "
        "(e.g. wide-column or sharded SQL); pagination by cursor; hot recent messages cached; "
        "media in object storage; retention and search index as separate concerns.",
        ["partitioning key", "ordering and pagination", "hot vs cold data", "media storage"],
        minutes=15,
    ),
    _q(
        "Your service's p99 latency doubled after a release. Walk through your investigation.",
        "system_design",
        "hard",
        "Compare metrics before/after, roll back if users suffer, use tracing to find the slow "
        "span, check resource saturation, dependencies and GC/pools, reproduce under load, fix "
        "and add an alert or benchmark.",
        [
            "mitigate first (rollback)",
            "compare before and after",
            "tracing and saturation",
            "prevent recurrence",
        ],
        minutes=10,
    ),
]

BEHAVIORAL_QUESTIONS = [
    _q(
        "Tell me about a time you disagreed with a teammate about a technical decision.",
        "behavioral",
        "easy",
        "A specific situation, the disagreement, how they listened and argued with evidence, "
        "the outcome, and what they learned (STAR).",
        ["specific situation", "respectful handling", "evidence-based", "outcome and learning"],
    ),
    _q(
        "Describe a project that did not go as planned. What did you do?",
        "behavioral",
        "easy",
        "Names the project and what went wrong, their own responsibility, the actions taken to "
        "recover, the result, and what they changed afterwards.",
        ["ownership", "concrete actions", "result", "lessons applied"],
    ),
    _q(
        "How do you prioritise when everything seems urgent?",
        "behavioral",
        "easy",
        "Clarifies impact and deadlines with stakeholders, uses a method (impact/effort, "
        "urgent/important), communicates trade-offs, protects focus time.",
        ["clarifies impact", "a method", "communicates trade-offs"],
    ),
    _q(
        "Tell me about a time you helped someone on your team grow.",
        "behavioral",
        "easy",
        "Mentoring, pairing or feedback with a concrete example, and the visible result for the "
        "other person.",
        ["concrete example", "how they helped", "result for the other person"],
    ),
    _q(
        "Why are you interested in this role, and what would you like to learn here?",
        "hr",
        "easy",
        "Connects their experience and goals to the role and company, with specific interests.",
        ["knows the role", "motivation", "specific learning goals"],
    ),
]

TEMPLATES: list[dict[str, Any]] = [
    {
        "title": "Frontend Developer",
        "interview_type": "technical",
        "difficulty": "medium",
        "duration_minutes": 40,
        "description": "JavaScript, React, browser fundamentals and accessibility.",
        "questions": FRONTEND_QUESTIONS,
    },
    {
        "title": "Python Backend Engineer",
        "interview_type": "technical",
        "difficulty": "hard",
        "duration_minutes": 50,
        "description": "Concurrency, databases, API design and performance.",
        "questions": BACKEND_QUESTIONS,
    },
    {
        "title": "System Design",
        "interview_type": "system_design",
        "difficulty": "hard",
        "duration_minutes": 45,
        "description": "Distributed systems design at scale.",
        "questions": SYSTEM_DESIGN_QUESTIONS,
    },
    {
        "title": "Behavioral",
        "interview_type": "behavioral",
        "difficulty": "easy",
        "duration_minutes": 30,
        "description": "Collaboration, ownership and motivation.",
        "questions": BEHAVIORAL_QUESTIONS,
        "show_score_to_candidate": True,
    },
]

JOBS: list[dict[str, Any]] = [
    {
        "title": "Frontend Developer",
        "company": "TechCorp",
        "domain": "Web",
        "coding_language": "JAVASCRIPT",
        "required_skills": ["JavaScript", "React", "CSS", "Accessibility"],
        "description": "Build accessible, fast interfaces for TechCorp's customer portal.",
    },
    {
        "title": "Backend Engineer",
        "company": "StartupX",
        "domain": "Fintech",
        "coding_language": "PYTHON",
        "required_skills": ["Python", "PostgreSQL", "APIs", "Concurrency"],
        "description": "Own payment APIs and the ledger database at StartupX.",
    },
    {
        "title": "Full Stack Developer",
        "company": "Acme Retail",
        "domain": "E-commerce",
        "coding_language": "JAVA",
        "required_skills": ["Java", "Spring", "TypeScript", "SQL"],
        "description": "Ship features across the storefront and order services.",
    },
    {
        "title": "Data Analyst",
        "company": "Northwind Analytics",
        "domain": "Analytics",
        "coding_language": "SQL",
        "required_skills": ["SQL", "Statistics", "Dashboards"],
        "description": "Answer business questions from the warehouse with SQL.",
    },
    {
        "title": "Platform Engineer",
        "company": "CloudNine",
        "domain": "Infrastructure",
        "coding_language": "CSHARP",
        "required_skills": ["C#", ".NET", "Azure", "Observability"],
        "description": "Build internal platform services in C#.",
    },
]

CANDIDATES: list[dict[str, Any]] = [
    {
        "full_name": "Aarav Sharma",
        "email": "aarav.sharma@example.com",
        "phone": "+91 98100 00001",
        "timezone": "Asia/Kolkata",
    },
    {
        "full_name": "Maya Fernandes",
        "email": "maya.fernandes@example.com",
        "phone": "+91 98100 00002",
        "timezone": "Asia/Kolkata",
    },
    {
        "full_name": "Daniel Okafor",
        "email": "daniel.okafor@example.com",
        "phone": "+44 7700 900003",
        "timezone": "Europe/London",
    },
    {
        "full_name": "Sofia Rossi",
        "email": "sofia.rossi@example.com",
        "phone": "+39 320 000 0004",
        "timezone": "Europe/Rome",
    },
]

# Scores and feedback of the completed demo interview (written as demo content, shown as such).
COMPLETED_SCORES = [
    (8.0, "Covers the GIL and I/O versus CPU work clearly; could say more about processes."),
    (9.0, "Names the lost update and gives both FOR UPDATE and atomic UPDATE solutions."),
    (7.0, "Solid schema; the redirect status codes and caching were only touched on."),
    (8.0, "Measures first and looks at queries; verification of the fix was brief."),
]
