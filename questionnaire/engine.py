"""The interview engine: pure functions, no I/O. The public API, gathered from its parts.

`step(grid, answers, position, action)` returns the answers to write (`changes`), the
new position and the prompt to show. Channels (Telegram, terminal) only translate their
input into an `Action` and the `Prompt` into their own output; storage persists
`changes` and `position`. Nothing here is stored between calls: the same inputs always
give the same step, so losing any in-memory state loses nothing.

Rules every channel gets from here, not from itself:
- Button actions carry the key of the question they belong to: an action whose key is
  not the current question (a button of an older message, tapped on a bad connection)
  is refused as stale and changes nothing.
- A tap carries intent (`Tap.on`: tick / untick): two managers ticking the same option
  give one tick; when the stored state differs from what the person saw, `Step.redraw`.
- Moving forward never erases: `Skip` keeps an answer; `Erase` is its own action.
- Typed text loses its control characters (`answers.clean_text`) before anything else.
- Sending a fiche with sections unanswered asks to confirm first (`Prompt.confirm`,
  `Submit(confirmed=True)`).

The parts: `actions` (what a person can do), `position` (where they stand), `walk`
(moving through the grid), `prompt` (what to show), `stepper` (one step).
"""

from __future__ import annotations

from questionnaire.actions import (
    KEYED_ACTIONS,
    Action,
    AskOther,
    Back,
    Erase,
    Jump,
    Keep,
    OpenSections,
    RemoveOther,
    Resume,
    Review,
    Show,
    Skip,
    Submit,
    Tap,
    Text,
    Validate,
)
from questionnaire.position import ASKING, REVIEW, Mode, Position
from questionnaire.prompt import (
    OptionView,
    Progress,
    Prompt,
    PromptAction,
    SectionView,
    build_prompt,
    review_prompt,
)
from questionnaire.stepper import Step, step
from questionnaire.walk import (
    asked_keys,
    completion,
    is_complete,
    section_completion,
    start,
    unanswered_sections,
)

__all__ = [
    "ASKING",
    "KEYED_ACTIONS",
    "REVIEW",
    "Action",
    "AskOther",
    "Back",
    "Erase",
    "Jump",
    "Keep",
    "Mode",
    "OpenSections",
    "OptionView",
    "Position",
    "Progress",
    "Prompt",
    "PromptAction",
    "RemoveOther",
    "Resume",
    "Review",
    "SectionView",
    "Show",
    "Skip",
    "Step",
    "Submit",
    "Tap",
    "Text",
    "Validate",
    "asked_keys",
    "build_prompt",
    "completion",
    "is_complete",
    "review_prompt",
    "section_completion",
    "start",
    "step",
    "unanswered_sections",
]
