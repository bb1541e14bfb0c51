"""The practice lexicon: what teachers write on sticky notes, per audit area of the built-in
instrument, grouped into sub-themes ("facets") and concepts.

The lexicon is written as text so it stays readable (and editable by someone who is not a
programmer): ``= area-key`` starts an area, ``== Label`` a sub-theme of it, and
``- Label (weight): phrase | phrase=w | ...`` a concept, continued on indented lines. A phrase may
end in ``=w`` to override the concept's weight. Phrases go through the same normalisation as
notes (abbreviations expanded, stemmed), so list plain words and let the pipeline handle plurals
and "-ing". Weights: 3 for a phrase that names one technique unambiguously, 2-2.5 for a strong
hint, 1-1.5 for a word that leans towards the area, 0.5 for a faint one. The same phrase may sit
in concepts of two areas with different weights when teachers use it for both.

Placement decisions worth knowing (justified in docs/analysis.md):
- bronze/silver/gold, chilli challenges and must/should/could are *tiered tasks*: they are
  about whether every pupil works towards the same goal, so they sit under high-expectations
  (with extension and stretch); preparing three versions of everything sits under
  sustainable-practice.
- feedback, marking and DIRT form a second sub-theme of checking-understanding (responding to
  what the checks show); peer and self-assessment lean to metacognition.
- worked examples, WAGOLL and the visualiser sit under explicit-instruction (modelling);
  faded and partially completed examples under scaffolding.
- retrieval practice, knowledge organisers and quizzing form the second sub-theme of
  metacognition ("Cognitive and metacognitive strategies").
- word mats, word banks and sentence stems are scaffolds first; their vocabulary and talk
  readings add to language-oracy, and the rest of the note decides.
- EAL support is a sub-theme of language-oracy; knowing who is EAL is knowing-pupils.
"""

from __future__ import annotations

Concept = tuple[str, float, str]
Facet = tuple[str, list[Concept]]

BUILTIN_TITLES: dict[str, str] = {
    "high-expectations": "One ambitious goal for all",
    "knowing-pupils": "Knowing pupils and their barriers",
    "checking-understanding": "Checking understanding and adapting",
    "explicit-instruction": "Explicit instruction and modelling",
    "scaffolding": "Scaffolding, and fading it",
    "metacognition": "Cognitive and metacognitive strategies",
    "grouping-and-adults": "Flexible grouping and other adults",
    "resources-technology": "Accessible resources and technology",
    "language-oracy": "Language, vocabulary and oracy",
    "inclusive-environment": "An inclusive classroom environment",
    "sustainable-practice": "Sustainable adaptation and shared practice",
}

BUILTIN_DESCRIPTIONS: dict[str, str] = {
    "high-expectations": "The same ambitious goal for every pupil; vary the support and the "
    "route, not the destination.",
    "knowing-pupils": "Knowing each pupil's needs, prior knowledge and barriers, and reviewing "
    "them.",
    "checking-understanding": "Frequent whole-class checks show who has understood, so "
    "teaching changes during the lesson.",
    "explicit-instruction": "Clear explanations in small steps, modelling and guided practice.",
    "scaffolding": "Temporary supports that let pupils reach the goal, removed as they become "
    "independent.",
    "metacognition": "Teaching pupils to plan, monitor and evaluate their learning, and to "
    "remember it.",
    "grouping-and-adults": "Short-term, purposeful grouping, and other adults who add to the "
    "teaching.",
    "resources-technology": "Resources and technology every pupil can use.",
    "language-oracy": "Subject vocabulary, reading and structured talk, especially for pupils "
    "learning English.",
    "inclusive-environment": "A calm, predictable classroom where pupils belong and can make "
    "mistakes safely.",
    "sustainable-practice": "Adapting as part of everyday teaching, shared across the team, "
    "without extra workload.",
}

LEXICON_TEXT = """
= high-expectations
== Challenge for all
- High expectations (2.5): high expectations | expectations=2 | expect more | ambitious |
    ambition | aspirational | aspiration | no ceiling | teach to the top | aim high |
    raise the bar | same goal | one goal | same destination | same objective |
    same learning objective | same outcome | same task | same work | same content |
    full curriculum | entitlement | mastery=1.5 | keep the class together |
    everyone can achieve | all can achieve | for everyone=1.5 | for all=1.5 | open to everyone |
    open to all | any pupil | vary the support | support changes | change the support |
    not the task | not the destination
- Stretch and challenge (2.5): stretch | challenge | challenge task | challenge question |
    challenge for all | extension | extension task | extend=1.5 | greater depth | depth=1.5 |
    deeper | higher order | bloom | above and beyond | bored=2 | coast | coasting |
    finish early | fast finishers | early finishers | more able | most able | gifted |
    talented | high attaining | high attainers | higher attainers | top set=2 | push them |
    high prior attainers | hpa | hpas | top end | grade 9 | challenge the top |
    stretch and challenge
- Tiered tasks (2.5): bronze silver gold | bronze | silver | gold | chilli challenge | chilli |
    chillies | mild spicy hot | spicy | must should could | all most some | tiered | tiers |
    choose your challenge | choose their challenge | pick their level | pick their own level |
    choose their level | levelled worksheets | differentiated tasks |
    differentiated worksheets=1.5 | differentiat=0.5 | differentiation by task
- Not dumbing down (2.5): dumb down | dumbing down | watered down | water down | easier task |
    easier work | easier worksheet | easier version | simpler task | copying out |
    low expectations | lower expectations | expectations too low | glass ceiling |
    low attaining=1 | low attainers=1 | lower attainers=1 | lower ability=1 | low ability=1 |
    weaker=0.5 | bottom set=1 | lower sets=1 | lower set=1 | set 4=1 | middle attaining=1 |
    low prior attainers=1 | lpa=1 | lpas=1 | differentiation by outcome | colouring in |
    colouring sheet | capped at | label | labelling | weak=1 | low ability label

= knowing-pupils
== Knowing pupils' needs
- Pupil passports and plans (3): pupil passport | passport | one page profile | pupil profile |
    learner profile | support plan | send support plan | ehc plan |
    education health and care plan | provision map | targets=1.5 | access arrangements | apdr |
    assess plan do review
- SEND information (1.5): send | special educational needs | special needs | additional needs |
    send register | send information | send info | send list | needs of | their needs=2 |
    barriers=2 | barrier=2 | diagnosis | diagnosed | adhd | autism | autistic | asd | asc |
    dyslexia=1 | dyslexic=1 | dyspraxia | semh | slcn | speech and language therapy |
    hearing impaired | visually impaired | medical needs | sen support | k code |
    who needs what | extra time=1.5 | scribe=1.5
- The SENCo (2.5): senco | inclusion lead | inclusion manager | send team | send department
- Prior knowledge (2.5): prior knowledge | prior attainment | what they already know |
    already know | what they know | baseline | pre test | pre topic | pre topic quiz |
    pre assessment | diagnostic test | ks2 data | ks2 results | ks2 | cat scores | cat4 |
    target grades | flight path | starting points | gaps in knowledge | gaps=1.5 |
    knowledge gaps
- Class information (2.5): data=1.5 | reading age | spelling age | transition=1.5 | handover |
    handover notes | class profile | context sheet | class context | annotated seating plan |
    know our pupils | know the children | know our children | know our kids | know them well |
    knowing the children | know who | who is who | data drop | tracking=1.5 | class charts=1.5 |
    information=1.5 | info=1.5 | passed on=2 | pass on information
- Pupil premium (2): pupil premium | disadvantaged | looked after | young carers |
    free school meals | fsm

= checking-understanding
== Checking understanding
- Mini whiteboards (3): mini whiteboard | miniwhiteboard | whiteboard | show me board |
    showme board | showme | show me | boards up | dry wipe | wipe board | wipeboard | slates
- Cold calling (3): cold call | no hands up | no hands | hands down | hands up | random name |
    random name picker | random name generator | name generator | name picker |
    names out of a hat | lolly stick | lollipop stick | lolly | named questions |
    targeted questioning | targeted questions | directed questioning |
    pose pause pounce bounce | pose pause pounce | everyone answers | same kids answer |
    same children answer | same few | volunteers=2 | no opt out
- Whole-class responses (2.5): thumbs up | thumbs down | thumbs | fist to five | fingers up |
    show of fingers | abcd cards | abcd | voting | traffic light cards | traffic lights=2 |
    plickers | mentimeter | menti | socrative | everyone answer | every answer |
    whole class response | everyone writes | wait time | think time | show call | quizizz | eedi
- Hinge questions (3): hinge | hinge question | hinge point | diagnostic question |
    multiple choice | mcq
- Exit tickets (3): exit ticket | exit slip | exit card | exit question | exit pass |
    ticket out | tickets out the door | plenary
- Checking and adapting (2.5): check understanding | checking understanding |
    check for understanding | understanding check | check who | see who | know who has got it |
    who has got it | got it=2 | who gets it | assessment for learning | formative assessment |
    formative | responsive teaching | adapt the lesson | adapting in the moment | reteach |
    re teach | move on=1.5 | moving on=1.5 | before moving on | misconception=1.5 | circulate |
    circulating | questioning=1.5 | probing questions | check=1 | understanding=1 | adapt=1.5 |
    on the spot=2 | in the moment=2 | adapt on the spot
== Feedback and DIRT
- Feedback (2.5): feedback | whole class feedback | verbal feedback | written feedback |
    live marking | marking=2 | mark the books | mark books=2 | marking books=2 | comments=2 |
    next steps | act on feedback | respond to feedback | respond=1 | redraft | redrafting |
    gap task | marking codes | marking policy | peer assessment=2 | peer marking=2 |
    peer feedback
- DIRT time (3): dirt | directed improvement | improvement time | fix it time | green pen |
    purple pen=2 | pink pen

= explicit-instruction
== Modelling and explanation
- Live modelling (3): model | live modelling | modelled writing | shared writing | demonstrate |
    demonstration | demo | show them how | show how | visualiser=2.5 | visualizer=2.5 |
    think aloud | thinking aloud | talk through | narrate | model text | narrate my thinking |
    expert thinking | writing in front of them | show my working
- Worked examples (3): worked example | example=1.5 | non example | wagoll |
    what a good one looks like | exemplar | model answer | examples and non examples
- I do, we do, you do (3): i do we do you do | i do we do | we do you do | my turn your turn |
    my turn our turn your turn | guided practice | gradual release | independent practice=2 |
    rosenshine
- Clear explanations (2.5): explain=1.5 | explanation | explanations | clear explanation |
    instruction=2.5 | clear instructions | chunk | chunking | small steps | step by step |
    steps=1 | break it down | break down | broken down | breaking down | breaking into |
    cognitive load | working memory | dual coding=1.5 | explicit instruction |
    direct instruction | explicit teaching | teacher talk=1.5 | me talking=1.5 |
    success criteria=1.5 | forget what to do | exposition | explaining=1.5

= scaffolding
== Scaffolds and fading them
- Scaffolds (3): scaffold | support sheet | help sheet | hint card | hints | prompt card |
    prompt sheet | prompts=2 | cue card | writing frame | frame=2 | sentence starter=2.5 |
    sentence stem=2 | structure strip | paragraph frame | gap fill | cloze |
    partially completed | partially complete | faded worked example | graphic organiser |
    checklist=1.5 | toolkit=1.5 | word mat=2 | word bank=2 | help desk | help station |
    support station | working wall=2.5 | method sheet | template=2 | structure=1 |
    knowledge organiser=1 | too much support | too much help | mats=2 | maths mat |
    writing mat | learning mat | help mat | task board | visual prompts | fill in the blanks |
    over scaffold | over scaffolding | sentence builders | knowledge builders
- Fading support (3): fade | fading | remove the support | removed=1.5 | take them away |
    take it away | taken away | withdraw the support | independence=2 | independent=1.5 |
    independently=1.5 | on their own=1.5 | without support | without help | rely=2 |
    reliant=2.5 | reliance | over reliant | dependent | dependence | learned helplessness |
    learnt helplessness | stuck | get stuck | waiting for help | wait for help | crutch |
    lean on=2 | get started=2 | cant start | spoon feed | spoon feeding | spoon fed |
    wait around | waiting around | waiting for the teacher | before they try | wont try |
    have a go | try anything | try things | give up=2 | gives up=2
- Concrete, pictorial, abstract (2.5): concrete pictorial abstract | concrete | pictorial |
    manipulatives | cubes | counters | numicon | dienes | base ten | bar model |
    part whole model | tens frame | place value counters

= metacognition
== Metacognition and self-regulation
- Metacognition (3): metacognition | metacognitive | meta cognition | thinking about thinking |
    think about their thinking | self regulation | self regulated | plan monitor evaluate |
    plan do review | planning monitoring evaluating | learning to learn | study skills |
    learning strategies | strategies=1
- Self-assessment (3): self assessment | self assess | self check |
    check their own | check their own work | check their work | proof read | proofread |
    edit their own | editing=2 | evaluate their | reflect=2 | reflection=2 | reflective |
    goal setting | set targets | own target | exam wrapper | confidence rating |
    their own learning | peer assessment=1.5 | traffic light=1.5 | plan their=2
- Revision strategies (3): how to revise | revision strategies | revision skills | revise |
    revision | read their notes | reread | re read | testing yourself | test yourself |
    mind map=2 | note taking | cornell notes | memory strategies
== Retrieval practice
- Retrieval practice (3): retrieval | retrieval practice | retrieval quiz | recall | do now |
    starter quiz | low stakes | low stakes quiz | quiz=2.5 | quizzing=2.5 | self quiz |
    self quizzing | flashcard | flash card | brain dump | spaced practice | spaced retrieval |
    interleaving | interleaved | revisit | revisiting | forget=2 | forgotten=2 | forgetting=2 |
    remember=1.5 | memory=2 | long term memory | knowledge organiser=3 | flashback |
    flashback 4 | fluent in five | times tables | tt rockstars | number bonds | fluency=2 |
    last lesson=1.5 | last week=1.5 | last term=1.5 | old topics | previous topics |
    mixed starter | recap=2 | look cover write check | quizlet | seneca | educake | carousel |
    blurting | blurt | ttrs | forgetting curve | retrieval grid | spaced recall |
    spaced repetition | spacing out

= grouping-and-adults
== Teaching assistants and other adults
- Teaching assistants (3): teaching assistant | learning support assistant | support staff |
    support assistant | learning support | classroom assistant | one to one | keyworker |
    key worker | adult=2.5 | adults=2.5 | other adults | second adult | extra adult |
    in class support | velcro | hover | hovering | sit next to | sits next to | sits with |
    sat with | swap roles | deployment | deploy | ta deployment | learning mentor |
    support worker | 1 to 1 | peripatetic=2 | peri=2
- Briefing adults (2.5): brief | briefing | briefed | plan with the | share the plan |
    share planning with | talk to the teaching assistant
- Interventions (2.5): intervention | same day intervention | same day | keep up not catch up |
    catch up | pre teach=1.5 | pre teaching=1.5 | withdrawal | booster | tutoring=1.5 |
    nurture group | small group=1.5 | fine motor | gross motor | dough disco | funky fingers |
    motor skills | speech and language group | phonics catch up
== Flexible grouping and seating
- Flexible grouping (3): grouping | groups=2 | group work=2 | flexible grouping |
    flexible groups | mixed ability | mixed attainment | attainment groups | ability groups |
    ability tables | tables=2 | table groups | fixed groups | same groups | friendship groups |
    pairs=2 | pairing=2 | partners=1.5 | setting=1 | sets=1 | streaming=2 | regroup |
    between groups | guided group | focus group | top table | bottom table | lowest group=1.5 |
    highest group=1.5 | collaborative learning | cooperative learning | peer tutoring |
    learning partners | buddies=2 | buddy system | grouping by need
- Seating plans (3): seating plan | seating | where they sit | move seats | seats | seat

= resources-technology
== Accessible resources
- Accessible resources (3): accessible | accessibility | dyslexia friendly | font | font size |
    large print | larger font | bigger font | tiny font | enlarged | enlarge | a3 |
    coloured overlay | overlay | coloured paper | cream paper | cream background | cream=2 |
    pastel | pastel background | background colour | buff paper | clear layout | layout=2 |
    cluttered | uncluttered | busy slides | too busy | wall of text | walls of text |
    dense text | too much text | lots of writing | readable | legible | copy from the board |
    copying from the board | printed copy | printouts | handouts=2 | handout=2 | worksheets=1 |
    worksheet=1 | resources=1.5 | slides=2 | powerpoint=2 | textbook=1.5 |
    universal design for learning | udl | reading ruler | comic sans | sans serif | arial |
    clutter
- Visuals (2): visuals | visual | images | pictures | symbols | widgit | diagrams |
    dual coding=1 | makaton | signing | sign language | bsl | pecs | objects of reference |
    visual supports | visual support | visual cues
== Technology
- Technology (3): technology | tech | edtech | ict | ipad | tablet | laptop | chromebook |
    computer | device | app | apps | software | online=2 | google classroom | microsoft teams |
    teams channel | onenote | one note | immersive reader | text to speech | speech to text |
    dictation | voice typing | reading pen | reader pen | c pen | assistive technology |
    assistive tech | audio | recording=1.5 | record=1.5 | video=2.5 | screencast |
    interactive whiteboard=2 | smartboard | promethean | sparx | hegarty | kahoot=2 | blooket |
    padlet | oak | bitesize | youtube | captions | visualiser=1 | google translate=1 | clicker |
    seesaw | purple mash | doodle maths | century tech | artificial intelligence | chatgpt |
    subtitles | quizizz=1

= language-oracy
== Vocabulary and reading
- Key vocabulary (3): vocabulary | vocab | key words | keywords | keyword | key vocabulary |
    key vocab | key terms | tier 2 | tier 3 | tier two | tier three |
    subject specific vocabulary | technical vocabulary | terminology | scientific terms=2 |
    scientific vocabulary | word of the week | word of the day | words=1 | word=1 | frayer |
    frayer model | etymology | root words | prefixes | suffixes | morphology | definitions |
    glossary | spell=2 | spelling=2 | word wall | word mat=1.5 | word bank=1.5 |
    extended writing=2 | writing skills | grammar | punctuation | spag | sentence structure
- Reading (2.5): read=1 | readers | weaker readers | reluctant readers | struggling readers |
    poor readers | reading aloud | read aloud | reading comprehension | comprehension |
    disciplinary literacy | literacy | whole class reading | guided reading=1.5 | decode |
    decoding | phonics=2 | reading age=1.5 | textbook too hard | too hard to read |
    read write inc | rwi | little wandle | sounds=1.5 | blending | segmenting | decodable |
    reading books | story time | storytime | book corner | reading corner |
    reading for pleasure | reading buddies | book club | reading records
== Oracy and talk
- Structured talk (3): oracy | talk=2.5 | talking=2.5 | pupil talk | student talk |
    structured talk | discussion=2.5 | discuss=2.5 | debate | speak=2 | speaking=2 |
    speaking and listening | listening=1.5 | full sentences | full sentence | whole sentences |
    answer in sentences | talk partners | talk partner | think pair share | pair share |
    turn and talk | kagan | kagan structures | stem sentence | sentence stem=1.5 |
    explain their reasoning | explain their thinking | reasoning=1.5 | articulate |
    presentation | presenting=1 | voice 21 | accountable talk | say it again better |
    one word answers | hot seating | role play | talk to each other | discuss with each other |
    oral rehearsal | rehearse orally | say the sentence | talk for writing |
    colourful semantics | storytelling | story telling | retell | retelling | drama=2 |
    sentence building=2 | communication=1.5 | language rich | chatter=1.5 | conversation=2 |
    vocal=1
== Supporting EAL learners
- EAL support (3): eal | english as an additional language | new to english | little english |
    no english | limited english | home language | first language | mother tongue | bilingual |
    bilingual dictionary | bilingual glossary | dual language glossary | translate |
    translation | translated | google translate | translator | new arrivals | newcomers |
    new arrival | international new arrivals | polish=2 | arabic | romanian | urdu | ukrainian |
    portuguese | eal stage | bell foundation | speakers=1 | esol | interpreter |
    language support=2 | visual dictionary

= inclusive-environment
== Inclusive classroom culture
- Routines and behaviour (2.5): routine | routines | consistent routines | calm=2 | calm start |
    behaviour | behaviour for learning | behaviour management | challenging behaviour |
    disruption | disruptive | low level disruption | noise | noise levels | noisy | rules=1.5 |
    sanctions | rewards | reward | dojo | class dojo | house points | praise | meet and greet |
    at the door | settle | settled | warm strict | restorative | predictability | predictable
- Safe to make mistakes (3): inclusive | inclusion | belonging | belong |
    welcome | welcoming | safe | safe space | safe to fail | feel safe | mistakes |
    make mistakes | marvellous mistakes | wrong answer | get it wrong | scared | afraid |
    embarrassed | anxiety | anxious | confidence=2 | self esteem | relationships=2.5 |
    relationship=2.5 | respect=2 | kindness | left out | lonely | join in=2 | everyone feels |
    ethos | atmosphere | classroom environment | environment=1.5 | diverse | diversity |
    unfair=1.5 | in front of others | in front of the class | growth mindset=2 | resilience=2 |
    high challenge low threat | trauma informed | attachment=2 | nurture=2 | pupil voice=1.5 |
    engagement=1 | motivation=1.5 | disengaged=1.5 | wellbeing=1.5 | feel valued | culture=2 |
    low threat | being wrong | wrong=1.5
- Regulation and sensory needs (3): regulation | zones of regulation | zones | check in |
    check ins | calm corner | calm space | quiet corner | quiet space | sensory |
    sensory breaks | sensory needs | movement breaks | brain breaks | fidget | fidget toys |
    ear defenders | wobble cushion | time out | time out card | visual timetable |
    now and next | emotions | reasonable adjustments | emotional=2 | sensory circuits |
    carpet time=2 | carpet session=2 | sit still | sitting still | wriggly | attention autism |
    too long to sit | too long for them

= sustainable-practice
== Sharing practice, sustainably
- Workload (3): workload | work load | time consuming | takes ages | takes forever |
    takes hours | too long to make | too much time | no time=2 | not enough time=2 |
    exhausting | exhausted | burnout | burn out | unsustainable | sustainable | manageable |
    unmanageable | overload | overloaded | stress=2 | stressful | three worksheets |
    3 worksheets | three different worksheets | different worksheets | separate worksheets |
    3 versions | three versions | marking load | reinvent | reinventing the wheel |
    planning time=2 | ppa=2.5 | directed time | duplicated | duplication | duplicate |
    from scratch | wasted time | waste of time | time wasting | laminating=2 |
    making resources | make resources | at home=1.5 | evenings | weekends
- Sharing practice (3): share=1.5 | sharing=1.5 | shared=1.5 | sharing good practice |
    share practice | shared resources | shared drive | share resources | common resources |
    central resources | department drive | the drive | shared planning | co planning | co plan |
    plan together | planning together | phase planning | department planning |
    peer observation | observe=2 | observing=2 | observation | see each other teach |
    watch each other | drop in | drop ins | peer observations | peer obs | learning walk |
    open door | open classroom | lesson study | coaching | instructional coaching | coach |
    mentor | mentoring | team teaching | department meeting | phase meeting | cpd | inset |
    training=1.5 | twilight | collaboration | collaborate | collaborative | support each other |
    good practice | best practice | resource bank | scheme of work | planning=1 |
    each other=1.5 | adaptive teaching=1 | shared area | sharepoint | google drive | drive=1.5 |
    steplab | walkthrus | research=1.5 | evidence informed | journal club | share ideas |
    share planning | share good practice | shared bank | plan the same | plans the same |
    separately=1 | see how others | see how other | other year groups=2 | other departments=2 |
    other schools=2 | visit other
"""

# Notes that name no teaching practice: the building, money, food, social life, admin.
OTHER_TEXT = """
- Facilities and admin (3): photocopier | printer | wifi | wi fi | internet | parking |
    car park | coffee | coffee machine | biscuits | cake | cakes | fridge | microwave |
    staffroom | staff room | lunch=1.5 | lunchtime=1.5 | budget | money | funding | salary |
    holiday=1.5 | holidays=1.5 | christmas=1.5 | party | social=1.5 | drinks | friday=1.5 |
    weekend=1.5 | broken | not working | keep freezing | freezing | crash | crashing | jammed |
    heating=2 | too hot | too cold | aircon | duty | duties | too many meetings | emails |
    email | results=2 | performance=1 | trip | trips | uniform | report writing |
    parents evening | equipment=1 | lovely team | nice team | team spirit | great team |
    photocopying | laminator | toilets | ofsted=2 | pay rise | payslip | nativity | sports day |
    staff shortage | car parking
"""

# Phrases that only stop their words being read the wrong way (weight 0): "6 mark answers" is
# about exam questions, not marking; "talk to the TA" is not pupils' talk.
NEUTRAL_PHRASES = """
6 mark | six mark | 4 mark | mark question | mark answer | marker | talk to | talk with |
speak to | speak with | talking to | role model | show me how | check in with | year group |
for example | form tutor
"""


def parse_concepts(text: str) -> list[tuple[str | None, str | None, Concept]]:
    """``(area, facet label, concept)`` for every concept line of a lexicon text."""
    out: list[tuple[str | None, str | None, Concept]] = []
    area: str | None = None
    facet: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if raw[:1].isspace() and out:
            a, f, (label, weight, spec) = out[-1]
            out[-1] = (a, f, (label, weight, f"{spec} {line}"))
        elif line.startswith("== "):
            facet = line[3:].strip()
        elif line.startswith("= "):
            area, facet = line[2:].strip(), None
        elif line.startswith("- "):
            head, _, spec = line[2:].partition(":")
            label, _, weight = head.rpartition("(")
            out.append((area, facet, (label.strip(), float(weight.rstrip(") ")), spec.strip())))
        else:
            raise ValueError(f"unreadable lexicon line: {raw!r}")
    return out


def parse_lexicon(text: str) -> dict[str, list[Facet]]:
    """The lexicon text as area key -> [(facet label, [concepts])], in written order."""
    lexicon: dict[str, list[Facet]] = {}
    for area, facet, concept in parse_concepts(text):
        if area is None or facet is None:
            raise ValueError(f"concept {concept[0]!r} is outside an area's sub-theme")
        facets = lexicon.setdefault(area, [])
        if not facets or facets[-1][0] != facet:
            facets.append((facet, []))
        facets[-1][1].append(concept)
    return lexicon


LEXICON: dict[str, list[Facet]] = parse_lexicon(LEXICON_TEXT)
OTHER_CONCEPTS: list[Concept] = [c for _, _, c in parse_concepts(OTHER_TEXT)]
