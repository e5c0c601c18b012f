"""Content checks of a lesson document: the slips a careful reader catches that the file format cannot.

A lesson file can be well formed and still teach something false: feedback that states as fact what the
article only reports, an explanation that reads the article's silence as a "no", evidence sentences that do
not say what the question asks, a claim that cites itself. Each check here looks for one kind of slip in any
lesson and returns `Problem`s, each naming the place in the file (`questions[3].answer.explanation`) like the
reader's errors do. They are heuristics, so they warn and never refuse: `import_lesson` prints them, and the
lessons shipped in fixtures/ produce none.

Each check is its own function over a parsed `LessonDocument`, listed in `CHECKS`; nothing here names a
question kind (a question's shape is read from its data).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from lessons.content_types import QuestionContent
from lessons.kinds import get_kind
from lessons.kinds.scoring import key_positions_kept
from lessons.models.choices import ActorKind, SourceKind, Standing
from lessons.services.lesson_documents import (
    ActorRecord,
    ClaimRecord,
    LessonDocument,
    QuestionRecord,
    question_content,
)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


# Words that carry no content of their own in a role, a claim or a source's name.
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "he"),
        *("her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "our", "over", "s", "she", "so"),
        *("than", "that", "the", "their", "them", "they", "this", "to", "was", "were", "what", "when"),
        *("where", "which", "who", "whom", "will", "with", "within", "would", "about", "after", "against"),
        *("also", "any", "before", "between", "both", "can", "could", "each", "had", "if", "more", "most"),
        *("no", "not", "only", "other", "same", "should", "some", "such", "then", "there", "these", "those"),
        *("through", "under", "until", "up", "very", "while"),
    }
)
# A sentence holding one of these attributes what it says (or hedges it): it does not state a claim as fact.
HEDGE_STEMS = (
    "report",  # reportedly, reported, report
    "alleg",
    "accord",  # according to
    "cite",
    "citin",
    "document",
    "claim",
    "accus",
    "said",
    "says",
    "deni",  # denies, denied
    "deny",
    "reject",
    "quot",  # quoted, quotes
    "unclear",
    "whether",
    "article",
    "suppos",
    "purport",
    "mention",  # "both mentions of Iran name…": a sentence about the text, not the world
    "sentence",
)
HEDGE_PHRASES = ("was to ", "were to ", "due to ", "not clear", "if ")
# Attribution that turns "has not happened" into "the article does not say it happened".
SILENCE_ATTRIBUTIONS = re.compile(
    r"\b(article|report|text|sentence|says?|said|mentions?|mentioned|quotes?|quoted|tells?|gives?|names?)\b"
    r"|\bp\d+s\d+\b",
    re.IGNORECASE,
)
# "has not announced", "were not confirmed", "did not respond": a negative about the world, not the text.
NEGATIVE_FACT = re.compile(
    r"\b(?:has|have|had|did|was|were)\s+(?:not|never)\s+(?:been\s+)?[a-z]+|\b(?:hasn't|haven't|hadn't|didn't|"
    r"wasn't|weren't)\s+[a-z]+",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r"(?<=[.!?;:])\s+|,?\s+(?:but|and|so)\s+|\s+—\s+")
SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+")
STEM_LENGTH = 5
# A student-visible sentence restates a claim when it shares this many of the claim's doubtful words (fewer
# when the claim has fewer, but never one alone).
RESTATED_TERMS = 3
# Standings whose content is settled (that it happened, or that it was said): their words are not doubtful.
SETTLED_STANDINGS = frozenset({"confirmed", "on_record"})
SHORT_NAME = 3  # names this short ("US", "Xi") are matched with their case, so "us" is not the United States
DEMONYM_ENDINGS = ("n", "ns", "an", "ans", "ian", "ians", "ese")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _tokens(text: str) -> list[str]:
    """Words and numbers of *text* with accents dropped, in their case."""
    return re.findall(r"[A-Za-z0-9]+", _fold(text))


def _same_word(given: str, wanted: str) -> bool:
    """Whether *given* is *wanted* or a form of it ("requests" for "requested", "radars" for "radar")."""
    given, wanted = given.lower(), wanted.lower()
    if len(wanted) < STEM_LENGTH or len(given) < STEM_LENGTH:
        return given == wanted
    return given[:STEM_LENGTH] == wanted[:STEM_LENGTH]


def _content_words(text: str) -> list[str]:
    return [word.lower() for word in _tokens(text) if len(word) > 1 and word.lower() not in STOPWORDS]


def _names(actor: ActorRecord) -> list[list[str]]:
    return [tokens for name in (actor.name, *actor.aliases) if (tokens := _tokens(name))]


def _name_token_matches(token: str, wanted: str, *, last: bool, state: bool) -> bool:
    if len(wanted) <= SHORT_NAME:
        return token == wanted
    token, wanted = token.lower(), wanted.lower()
    if token == wanted:
        return True
    # "Venezuelan", "Russian", "Chinese", "Iranian" name their state too.
    stem = wanted[:-1] if wanted[-1] in "ae" else wanted
    return last and state and token.startswith(stem) and token[len(stem) :] in ("", *DEMONYM_ENDINGS)


def _mention_spans(tokens: list[str], actor: ActorRecord) -> Iterator[range]:
    state = actor.kind == ActorKind.STATE
    for name in _names(actor):
        for start in range(len(tokens) - len(name) + 1):
            if all(
                _name_token_matches(tokens[start + at], word, last=at == len(name) - 1, state=state)
                for at, word in enumerate(name)
            ):
                yield range(start, start + len(name))


def mentions(text: str, actor: ActorRecord) -> bool:
    """Whether *text* names *actor* by its name, an alias or (for a state) the adjective of its name."""
    return next(_mention_spans(_tokens(text), actor), None) is not None


def _actor_named_by(text: str, actors: Iterable[ActorRecord]) -> ActorRecord | None:
    """The actor whose name or alias *text* is, as a whole."""
    wanted = [word.lower() for word in _tokens(text)]
    for actor in actors:
        if any([word.lower() for word in name] == wanted for name in _names(actor)):
            return actor
    return None


def _sentence_text(document: LessonDocument) -> dict[str, str]:
    return {sentence.id: sentence.text for paragraph in document.article.paragraphs for sentence in paragraph}


def _student_texts(question: QuestionRecord, index: int) -> Iterator[tuple[str, str]]:
    """(path, text) of what a student reads with the feedback: explanation, option feedback, model answer."""
    yield f"questions[{index}].answer.explanation", question.explanation
    for option_id, text in question.option_feedback.items():
        yield f"questions[{index}].answer.option_feedback.{option_id}", text
    if question.model_answer:
        yield f"questions[{index}].answer.model_answer", question.model_answer


# --------------------------------------------------------------------------------------------------------
# The checks


def evidence_misses_linked_actors(document: LessonDocument) -> list[Problem]:
    """A question's evidence sentences, together, mention every actor the question links: evidence that
    never names an actor cannot show the student anything about them."""
    actors = {actor.id: actor for actor in document.actors}
    sentences = _sentence_text(document)
    problems = []
    for index, question in enumerate(document.questions):
        evidence = [sentences[sentence_id] for sentence_id in question.evidence]
        for actor_id in question.actors:
            actor = actors[actor_id]
            if not any(mentions(text, actor) for text in evidence):
                problems.append(
                    Problem(
                        f"questions[{index}].evidence",
                        f"no evidence sentence mentions {actor.name} ({actor.id}), whom the question links",
                    )
                )
    return problems


def role_pairs_without_evidence(document: LessonDocument) -> list[Problem]:
    """Where a question's key pairs an actor with a role or title ("Nicolás Maduro" with "President of
    Venezuela"), one evidence sentence says both: the actor and every word of the role. A sentence that says
    "President Maduro" does not show which country he is president of."""
    sentences = _sentence_text(document)
    problems = []
    for index, question in enumerate(document.questions):
        if not (isinstance(question.correct, dict) and question.items):
            continue
        texts = {option.id: option.text for option in (*question.items, *question.options)}
        for item_id, option_id in question.correct.items():
            left, right = texts.get(item_id, ""), texts.get(str(option_id), "")
            if actor := _actor_named_by(left, document.actors):
                role = right
            elif actor := _actor_named_by(right, document.actors):
                role = left
            else:
                continue
            if not any(
                _says_role(sentences[sentence_id], actor, role, document.actors)
                for sentence_id in question.evidence
            ):
                problems.append(
                    Problem(
                        f"questions[{index}].evidence",
                        f"no single evidence sentence gives {actor.name} as “{role}”",
                    )
                )
    return problems


def _says_role(sentence: str, actor: ActorRecord, role: str, actors: Iterable[ActorRecord]) -> bool:
    if not mentions(sentence, actor):
        return False
    role_tokens = _tokens(role)
    named_in_role: set[int] = set()
    for other in actors:
        spans = list(_mention_spans(role_tokens, other))
        if spans and not mentions(sentence, other):
            return False
        named_in_role.update(position for span in spans for position in span)
    sentence_words = _tokens(sentence)
    return all(
        any(_same_word(given, word) for given in sentence_words)
        for position, word in enumerate(role_tokens)
        if position not in named_in_role and len(word) > 1 and word.lower() not in STOPWORDS
    )


def reported_claims_stated_as_fact(document: LessonDocument) -> list[Problem]:
    """What the article only reports or alleges is not restated as fact in what students read: a sentence of
    an explanation, feedback or model answer that repeats a reported or alleged claim's content words holds a
    hedge ("reportedly", "according to", "alleged", "was to") or says who says it. Words the lesson's
    confirmed or on-record claims share are left out: "Russia has ratified the treaty" restates nothing
    doubtful, though a reported claim about what the ratification means uses the same words."""
    doubtful = [claim for claim in document.claims if claim.standing in (Standing.REPORTED, Standing.ALLEGED)]
    settled = [
        term
        for claim in document.claims
        if claim.standing in SETTLED_STANDINGS
        for term in _claim_terms(claim, document.actors)
    ]
    terms = {
        claim.id: [
            term
            for term in _claim_terms(claim, document.actors)
            if not any(_same_word(term, known) for known in settled)
        ]
        for claim in doubtful
    }
    places = [
        place
        for index, question in enumerate(document.questions)
        for place in _student_texts(question, index)
    ]
    places += [(f"sources[{index}].name", source.name) for index, source in enumerate(document.sources)]
    places += [
        (f"actors[{index}].description", actor.description) for index, actor in enumerate(document.actors)
    ]
    problems = []
    for path, text in places:
        for sentence in SENTENCE_BREAK.split(text):
            if _hedged(sentence):
                continue
            words = _tokens(sentence)
            for claim in doubtful:
                shared = [term for term in terms[claim.id] if any(_same_word(word, term) for word in words)]
                if len(shared) >= max(2, min(RESTATED_TERMS, len(terms[claim.id]))):
                    problems.append(
                        Problem(
                            path,
                            f"states as fact what claim {claim.id} ({claim.standing}) only reports: "
                            f"“{sentence.strip()}” has no hedge or attribution",
                        )
                    )
                    break
    return problems


def _claim_terms(claim: ClaimRecord, actors: Iterable[ActorRecord]) -> list[str]:
    """The claim's content words that are not names: what it says happened, not who it is about."""
    tokens = _tokens(claim.statement)
    named = {position for actor in actors for span in _mention_spans(tokens, actor) for position in span}
    terms: list[str] = []
    for position, word in enumerate(tokens):
        lowered = word.lower()
        if position in named or len(lowered) < 4 or lowered in STOPWORDS or lowered in terms:
            continue
        terms.append(lowered)
    return terms


def hedge_words(sentence: str) -> list[str]:
    """The hedges and attributions in *sentence* ("reportedly", "according", "not clear"), in order of
    appearance, each once: what makes it not state a claim as fact."""
    lowered = _fold(sentence).lower()
    found = [phrase.strip() for phrase in HEDGE_PHRASES if phrase in f"{lowered} "]
    found += [word for word in re.findall(r"[a-z]+", lowered) if word.startswith(HEDGE_STEMS)]
    return sorted(dict.fromkeys(found), key=lambda word: lowered.find(word))


def _hedged(sentence: str) -> bool:
    return bool(hedge_words(sentence))


def circular_source_chains(document: LessonDocument) -> list[Problem]:
    """A claim does not rest on the very thing it reports: "Maduro sent a letter to Xi" known through
    documents cited by a newspaper cannot list the letter itself in its chain of sources. Flags a document
    in a claim's `via` whose name the claim's statement repeats (all its words but one at most)."""
    sources = {source.id: source for source in document.sources}
    problems = []
    for index, claim in enumerate(document.claims):
        statement_words = _tokens(claim.statement)
        for source_id in claim.via:
            source = sources[source_id]
            if source.kind not in (SourceKind.GOVERNMENT_DOCUMENT, SourceKind.OTHER):
                continue
            words = _content_words(source.name)
            found = [word for word in words if any(_same_word(given, word) for given in statement_words)]
            if len(found) >= 2 and len(found) >= len(words) - 1:
                problems.append(
                    Problem(
                        f"claims[{index}].via",
                        f"{source.id} is what the claim reports, not a source of it: a claim cannot rest on "
                        "the thing whose existence it asserts",
                    )
                )
    return problems


def silence_read_as_negative(document: LessonDocument) -> list[Problem]:
    """An explanation or feedback that says a party "has not" done something, where the sentence does not
    say it is the article that is silent, reads silence as a no: "the article does not say Venezuela
    announced them" is what the text supports, "Venezuela has not announced them" is not. A negative the
    article states in the same words is not flagged. For review."""
    article = " ".join(_sentence_text(document).values()).lower()
    problems = []
    for index, question in enumerate(document.questions):
        for path, text in _student_texts(question, index):
            for clause in CLAUSE_BREAK.split(text):
                match = NEGATIVE_FACT.search(clause)
                # A negative the article itself states is not a reading of its silence.
                stated = match is not None and match.group(0).lower() in article
                if match and not stated and not SILENCE_ATTRIBUTIONS.search(clause):
                    problems.append(
                        Problem(
                            path,
                            f"“{match.group(0)}”: says something has not happened where the article may only "
                            "be silent; say what the article does not say instead",
                        )
                    )
    return problems


def stored_in_key_order(document: Mapping[str, Any]) -> list[Problem]:
    """Questions whose list is stored in the arrangement their key asks for (items in the right order,
    each option level with its item), in a document as the file writes it: the player never shows them so,
    but a printout, an export or another tool that shows the file's order hands out the answer."""
    problems = []
    for index, question in enumerate(document.get("questions") or ()):
        arrangement = get_kind(question["kind"]).key_arrangement(cast(QuestionContent, question))
        if arrangement is None:
            continue
        field, key = arrangement
        stored = [entry["id"] for entry in question[field]]
        kept = key_positions_kept(stored, key)
        if kept == sum(1 for entry in key if entry is not None):
            problems.append(
                Problem(
                    f"questions[{index}].{field}",
                    f"the {field} are stored in the order of the answer key: list them in another order",
                )
            )
    return problems


def lists_in_key_order(document: LessonDocument) -> list[Problem]:
    return stored_in_key_order({"questions": [question_content(question) for question in document.questions]})


CHECKS: tuple[Callable[[LessonDocument], list[Problem]], ...] = (
    evidence_misses_linked_actors,
    role_pairs_without_evidence,
    reported_claims_stated_as_fact,
    circular_source_chains,
    silence_read_as_negative,
    lists_in_key_order,
)


def lesson_problems(document: LessonDocument) -> list[Problem]:
    """Every content problem the checks find in *document*, check by check, in file order."""
    return [problem for check in CHECKS for problem in check(document)]
