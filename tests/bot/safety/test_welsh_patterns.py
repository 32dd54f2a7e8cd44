"""Welsh safety patterns read Welsh as it is written: what counts, and everyday Welsh that not.

Each message is read as the safety net reads Welsh: normalised, its words in radical form.
"""

import pytest

from bot.content.catalogue import load_catalogue
from bot.safety.component import _signals_in, read_message, welsh_training_texts
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet
from bot.safety.signals import read_signals
from bot.safety.welsh import (
    dictionary_headwords,
    known_welsh_words,
    normalise_welsh,
    read_as_radicals,
)

PATTERNS = PatternSet(load_catalogue().safety_patterns)
# The words the trained safety net knows as Welsh (the dictionary's and the training messages'):
# a mutated word seen in training ("beidio") is kept as written, so patterns must read it.
MODEL_WELSH_WORDS = known_welsh_words(normalise_welsh(t) for t in welsh_training_texts())


def welsh(text: str) -> str:
    return read_as_radicals(normalise_welsh(text), MODEL_WELSH_WORDS)


def indicators(text: str) -> set[str]:
    return {m.indicator for m in PATTERNS.matches(welsh(text))}


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("mae o wedi llyncu tabledi", "overdose"),
        ("ma gyda fe gyllell", "armed"),
        ("mae gynno fo gyllell yn ei law", "armed"),
        ("dwi am gymryd y tabledi i gyd", "overdose"),
        ("ma gen i bils yn y drôr a dwi am eu cymryd nhw i gyd", "overdose"),
        ("dwi'n brathu fy mraich pan dwi'n flin", "self_harm"),
        ("mae creithiau newydd ar ei breichiau hi", "self_harm"),
        ("dwi di torri'n ddwfn tro 'ma", "self_harm"),
        ("dwi ar ben y bont isio neidio", "suicidal"),
        (
            "mae gynno fo luniau ohona i a mae o'n mynd i'w gyrru i bawb os dwi ddim yn talu",
            "sextortion",
        ),
        ("ma hi'n cael ei llusgo i mewn i fan", "held"),
        ("mae hi wedi diflannu ers neithiwr", "missing_now"),
        ("dydi hi ddim yn ateb ei ffôn", "missing_now"),
        ("mae o'n mynd ar goll bob penwythnos", "missing"),
        ("ma na gar wedi bod yn dilyn fi ers i fi adael ysgol", "stalked_now"),
        ("mae dyn di bod yn ddilyn fi adre", "stalked_now"),
        ("dwi newydd ollwng merch mewn tŷ", "said_now"),
        ("mae bachgen 14 newydd ddringo allan drwy'r ffenest", "said_now"),
        ("ma hi di mynd lan i Lundain gyda dyn", "taken_somewhere"),
        ("mae o'n ei chasglu hi am 3 heddiw", "imminent"),
        ("mae'r car efo'r dynion yn aros ar waelod y lôn", "present_threat"),
        ("mae dyn yn aros amdani wrth giât yr ysgol", "present_threat"),
        ("mae o'n anfon negeseuon rhywiol ati", "sexual_talk"),
        ("ma'r boi nath assaultio fi llynedd tu fas, ma fe'n syllu trw'r ffenest", "said_now"),
        ("ma'r boi nath assaultio fi", "violence"),
        ("ma nhw di mynd a fi i rwla yn y wlad", "now"),
        ("maen nhw'n sôn am fynd â nhw 'nôl i'r B&B", "taken_somewhere"),
        ("mae o'n dod draw am 8", "imminent"),
        ("nath o ddeud fod o'n dod i nol fi o'r ysgol", "imminent"),
        ("mae dyn newydd archebu ystafell", "adult_mention"),
        ("dynion o'r siop drws nesaf", "adult_mention"),
        ("mae o ar goll ers 6 o'r gloch", "said_now"),
        ("y bobl sy'n rhoi'r cyffuria i mi", "substances"),
        ("ma na ddynion hŷn yn rhoi lifft iddi", "older_person"),
        ("nath o ddeud wrtha i am beidio deud wrth neb", "secrecy"),
        ("mae o isio cwrdd efo fi ar ôl ysgol", "meet_up"),
        ("roedd o'n edrych yn ofnus", "fear"),
        ("digwyddodd hyn llynedd", "past"),
        ("dim cynllun, dwi'n iawn nawr", "not_now"),
        ("mae hi wedi dod adra erbyn hyn", "safe_now"),
        ("mae o'n gofyn am luniau heb ddillad", "image_request"),
        ("bydd hi'n eu gyrru nhw i'r dosbarth os dwi ddim yn gyrru mwy", "sextortion"),
        ("mae o isio mwy neu bydd o'n eu postio", "sextortion"),
        ("nath o neud i fi neud petha iddo fo", "sexual_contact"),
        ("mae hi'n gorfod cysgu efo nhw i dalu'r ddyled", "sexual_contact"),
        ("mae o'n gweiddi arna i bob tro", "habitual"),
        ("mam fi'n dod i nôl fi am 11", "family_care"),
        ("o na, nain sy na", "known_visitor"),
        ("jyst y postmon oedd o", "known_visitor"),
        ("ma fe'n mynd i ladd fi am dorri ei bensil", "figurative"),
        ("ma fe'n gweud wrtha i am beidio gweud wrth mam", "secrecy"),
        ("ma fe lot yn hŷn", "older_person"),
        ("ath e â fi i dŷ rhywun ar ôl parti", "taken_somewhere"),
        ("ma na ddyn efo dau hogyn, dal yn eu gwisg ysgol", "child_with_adult"),
        ("mae o'n dod i'n stafell i yn y nos a neud petha", "sexual_abuse"),
        ("nath o betha i fi", "sexual_abuse"),
        ("sai'n gallu gadel y ty ma", "held"),
        ("nath e gloi'r drws ar ol mynd mas", "held"),
        ("mae yncl fi'n neud petha drwg pan dwi'n aros yn ty nain", "sexual_abuse"),
        ("sa i moyn bod fan hyn rhagor", "suicidal_thoughts"),
        ("dwi ddim isio bod yma ddim mwy", "suicidal_thoughts"),
        ("dwi ddim isio byw", "suicidal_thoughts"),
        ("ma hi di postio bo hi'n mynd i orffen y cyfan heno", "suicidal"),
        ("os sa i'n hala llun heb ddillad bydd e'n rhoi'r lleill ar grŵp yr ysgol", "sextortion"),
        ("dwi'm yn cofio lot ond ma 'na fideo ohona i yn mynd rownd", "image_abuse"),
        ("ma'r llun yn edrych fel dyn 40", "older_person"),
        ("cael fy archebu i fynd â dwy ferch tua 13 oed i gyfeiriad yn y Rhyl", "taken_somewhere"),
        ("pan o'n i'n 10 nath wncwl fi bethe i fi", "sexual_abuse"),
        ("mae hi heb gyrraedd adre o'r ysgol eto", "missing_now"),
        ("bydd o'n ei nôl hi ar ôl ysgol", "picked_up"),
        ("caiff hi aros efo fo", "place_to_stay"),
        ("mae hi'n ddiogel", "safe_now"),
        ("mae o adra efo'i fam rŵan", "safe_now"),
        ("ma hogyn 14 'di deud wrtha i heno", "told_at"),
        ("ma nhw'n gneud iddo fo gadw cyffuria yn ei dŷ", "criminal_exploitation"),
        ("ma nhw tu fas rwan", "present_threat"),
        ("helpwch ma fo yma", "help_now"),
        ("os dwi'n deud wrth mam neith o frifo fi", "threat_to_life"),
        ("fysa neb yn sylwi tasen i'n mynd", "suicidal"),
        ("pam dylwn i fod yn fyw", "suicidal_thoughts"),
        ("mae hi am gymryd ei bywyd", "suicidal"),
        ("ma fe di gyrru neges ffarwel", "suicidal"),
        ("dwi'n eistedd ar ben y to rwan", "suicidal"),
        ("dwi di llyncu tua 30 o dabledi", "overdose"),
        ("mae o'n clymu belt rownd ei wddf", "suicidal"),
        ("ma nhw'n mynd a fi rywle ar y funud", "now"),
        ("dwi'n cael fy llusgo i ffwrdd", "taken_somewhere"),
        ("mae hi'n cael ei chasglu gan ddyn hŷn", "picked_up"),
        ("ma fe'n dod i nôl fi mewn munud", "imminent"),
        ("mae o'n gneud iddi gysgu efo'i ffrindia", "sexual_exploitation"),
        ("mae hi heb ddod adre a ma hi'n hwyr", "missing_now"),
        ("mae e wedi fy ngorfodi i gael rhyw", "sexual_abuse"),
        ("nath o orfodi hi i neud pethe rhywiol", "sexual_abuse"),
        ("mae o'n gyrru lluniau noeth ata i", "sexual_talk"),
        ("ma fe'n rhoi pres i fi am lunia", "sexual_exploitation"),
        ("maen nhw'n fy nhalu i gael rhyw", "sexual_exploitation"),
        ("nath nhw fy nghloi i mewn yn y stafell", "held"),
        ("nath o ofyn i fi dynnu fy nillad", "sexual_abuse"),
        ("dwi'n cael fy ecsbloetio", "abuse_named"),
        ("dwi'n mynd i gyfarfod y boi mewn awr", "meet_up"),
        ("mae hi'n cael perthynas rywiol gyda dyn 23 oed", "sexual_contact"),
        ("nath dyn gysgu efo fi", "sexual_contact"),
        ("nath dyn o grindr gysgu efo fi", "met_online"),
        ("dwi'n dechre meddwl bo fe ddim yn saff", "unease"),
        ("mae o'n deud fod hynna'n iawn achos dwi'n aeddfed", "sexual_talk"),
        ("fi di cael digon, fi'n mynd i neud e heno", "suicidal"),
        ("dwi'n teimlo fel bo fi'n haeddu cael fy mrifo", "self_harm"),
        ("ffrind fi'n cael pethe gan ddyn hŷn", "sexual_exploitation"),
        ("mae hi'n cael arian a ffôn gan foi 25", "sexual_exploitation"),
        ("ma rhywun di postio llun ohona i heb ddillad", "image_abuse"),
        ("mae hi wedi mynd ar goll dair gwaith y mis yma", "habitual"),
        ("chwaer fach fi (13) di mynd i gwrdd a boi o insta", "child_age"),
        ("ma cariad hi sy'n 22 newydd gyrraedd i nol hi o'r ysgol", "other_age"),
        ("ma cariad hi sy'n 22 newydd gyrraedd i nol hi o'r ysgol", "picked_up"),
        ("neith o 'rannu hi' efo mets fo heno", "sexual_exploitation"),
        ("mae o ar ei ffordd i'w chasglu hi ac mae hi'n crynu", "fear"),
        ("ma boi o tiktok yn gofyn am lunia fi yn fy nillad isa", "image_request"),
        ("ma boi o tiktok yn yrru presantau i fi drwy'r post", "gifts"),
        ("sut ti'n cuddio marcie o blade rhag mam", "self_harm"),
        ("dwi'n meddwl am fynd lawr i'r trac tren heno", "suicidal"),
        ("ma dyn efo hi yn y car a ma hi'n deud stop drosodd a drosodd", "distress_now"),
        ("nath rhywun rannu llun ohona i yn y group chat", "image_abuse"),
        ("dw i wedi gweld dynion gwahanol yn mynd a dod efo hi", "child_with_adult"),
        ("mae hi gyda dynion sydd wedi'i hecsbloetio hi o'r blaen", "sexual_exploitation"),
        ("mae hi wedi mynd ar goll o'r cartref ers tair awr", "said_now"),
        ("mae hi newydd adael mewn car efo dyn dieithr", "said_now"),
        ("mae hi newydd anfon neges yn dweud ei bod mewn tŷ gyda dynion hŷn", "said_now"),
        ("mab fi heb ddod adra, dio ddim yn ateb", "said_now"),
        ("ma'r bechgyn hyn yn pallu gadel ni fynd", "held"),
        ("mae hi wedi mynd i fflat dyn 20 oed a'i bod hi'n methu dod oddi yno", "held"),
        ("croten ni, ma hi ond yn 14", "child_age"),
        ("dyw hi ddim yn edrych yn hŷn na 14", "child_age"),
        ("ma hi di mynd lan gyda dyn odd hi'n siarad da fe ar TikTok", "met_online"),
        ("ma hi di mynd lan gyda dyn odd hi'n siarad da fe ar TikTok", "adult_mention"),
        ("bydd e'n postio'r llunie os sa i'n talu £200 erbyn dydd gwener", "sextortion"),
        ("rhaid i fi fynd i'r parti neu bydd e'n rhannu'r lluniau", "sextortion"),
        ("neud beth ma'i ffrindie fe moyn", "sexual_exploitation"),
        ("mae hi wedi cael ei chamfanteisio'n rhywiol o'r blaen", "abuse_named"),
        ("newydd gael ei chasglu gan gar dieithr", "older_person"),
        ("wedodd e bod e'n 16 ond ma llais e'n swnio lot hŷn", "older_person"),
        ("mae'r dyn 'na'n dod i'w chasglu hi am hanner nos", "picked_up"),
        ("mae gen i ferch ifanc yn y car gyda dyn", "child_with_adult"),
        ("ddudodd o bo ni'n mynd i'r pictiwrs ond dan ni di dod fama", "taken_somewhere"),
        ("ma tad fy nghariad yn trio mynd a fi i fyny'r grisia", "coerced"),
        ("mae rhaid fi fynd efo fo i weld ei ffrindia", "sexual_exploitation"),
        ("mae o'n dod i fynd â fi i ffwrdd am y penwythnos a mam ddim yn gwbod", "taken_somewhere"),
        ("mae o'n dod i fynd â fi i ffwrdd am y penwythnos a mam ddim yn gwbod", "secrecy"),
        ("dwi di cloi fy hun yn y bathrwm", "distress_now"),
        ("dwi'n cuddio yn y cwpwrdd", "distress_now"),
        ("mae cariad mam yn trio dod mewn", "present_threat"),
        ("mae e ar drên i Lundain gyda ffrind hŷn", "older_person"),
        ("mae e ar drên i Lundain gyda ffrind hŷn", "taken_somewhere"),
        ("nes i gymryd lot o paracetamol tua awr yn ol", "overdose"),
        ("mae hi eisiau diweddu popeth", "suicidal"),
        ("dwi'n gweithio ar y ddesg mewn gwesty", "writer_business"),
        ("Rheolwr parc carafanau. Mae dyn wedi dod â dwy ferch i'w garafán", "writer_business"),
        ("dwi'n gyrru bws ysgol", "writer_business"),
        ("mae dyn yn ei bedwardegau wrth y bar", "older_person"),
        ("dyn yn prynu diodydd i ddwy ferch sy'n amlwg o dan oed", "child_with_adult"),
        ("dyn yn prynu diodydd i ddwy ferch sy'n amlwg o dan oed", "substances"),
        ("mae e wedi archebu tacsi i'r tri ohonyn nhw i'w westy", "taken_somewhere"),
        ("ma fe'n syllu mewn trw'r ffenest", "present_threat"),
        ("bydd e'n ei chasglu hi o'r clwb ymhen deg munud", "imminent"),
        ("dwi newydd weld y car yn mynd am y traeth", "said_now"),
        ("arian a trainers gan ddyn yn gyfnewid am 'ffafrau'", "sexual_exploitation"),
        ("rwan mae o isio mwy neu mae o'n mynd i yrru nhw i fy ffrindia i gyd", "sextortion"),
        ("ma nw'n gneud fi werthu", "criminal_exploitation"),
        ("wi jyst moyn cysgu a peidio dihuno", "suicidal_thoughts"),
        ("nawr ma nhw'n gweud bod rhaid i fi aros 'da nhw", "held"),
        ("mae o wedi bod ar goll o'r ysgol ambell ddiwrnod", "habitual"),
        ("Mae fy llys-dad yn dod i fy stafell pan mae mam yn gweithio nosweithiau", "sexual_abuse"),
        ("cariad mam yn dod mewn i'r gawod pan dwi yna", "sexual_abuse"),
        ("dyn y siop gornel di gafael yn pen ol fi eto heddiw", "sexual_abuse"),
        ("o'n i'n rhy feddw i ddeud na", "sexual_abuse"),
        ("fe tu fas eto, yr un sy'n neud fi neud pethe", "sexual_abuse"),
        ("fe tu fas eto, yr un sy'n neud fi neud pethe", "present_threat"),
        ("ma'r dyn o snapchat yn disgwl fi yn y stesion bysus", "meet_up"),
        ("dwi ar y bws yn dod fewn i'r dre", "now"),
        ("Mae rhywun yn curo ar y drws ers hanner awr", "said_now"),
        ("yfais i be roddodd o i fi a dwi methu symud coesa fi", "injury"),
        ("dau ohonyn nhw'n dal fi lawr", "held"),
        ("gweud bod e ddim yn mynd a fi adre, ni'n mynd i dy ffrindie fe", "held"),
        ("brawd bach fi 15 yn deud bod e di prynu rhaff", "suicidal"),
        ("mam tu fas yn y car rhaid fi fynd", "known_visitor"),
    ],
)
def test_a_welsh_message_shows_its_indicator(text, indicator):
    assert indicator in indicators(text)


@pytest.mark.parametrize(
    "text, not_shown",
    [
        ("nes i dorri fy mraich yn chwarae rygbi", "self_harm"),
        ("nath y gath grafu fy mraich", "self_harm"),
        ("nes i gymryd paracetamol at y cur pen", "overdose"),
        ("dwi'n mynd i yrru'r lluniau o'r trip i nain", "sextortion"),
        ("nes i neidio i'r pwll nofio", "suicidal"),
        ("dwi'n scared o'r arholiad", "fear"),
        ("mam yn dod i'n stafell i i ddeud nos da", "sexual_abuse"),
        ("ma fe'n dod i nôl fi am 8 heno, mae o'n 15 hefyd", "told_at"),
        ("dwi ddim yn saff", "safe_now"),
        ("helpa fi efo gwaith cartref plis", "help_now"),
        ("helpwch, dwi ddim yn deall snapchat", "help_now"),
        ("ma fe'n dod nol o'r gwaith am 6", "present_threat"),
        ("mae o'n neis pan ma fe'n dod draw", "present_threat"),
        ("nes i gymryd 2 paracetamol", "overdose"),
        ("faint o blant sy'n cael eu camfanteisio yng Nghymru", "abuse_named"),
        ("mae hi'n rhoi pres i fi am olchi'r car", "sexual_exploitation"),
        ("nes i gloi fy meic tu allan", "held"),
        ("dwi'n mynd i neud e heno, gwaith cartref", "suicidal"),
        ("mae o'n deud bod y gem yn anghyfforddus o hir", "sexual_talk"),
        ("dwi'n mynd i gwrdd a'r tim ar y cae", "met_online"),
        ("dwi'n cael lifft gan dad bob bore", "sexual_exploitation"),
        ("ges i arian pen-blwydd gan nain", "sexual_exploitation"),
        ("mae'r llun ohona i yn y papur newydd", "image_abuse"),
        ("dwi'n rhoi nhw i ffrindie fi", "sexual_exploitation"),
        ("dwi'n mynd lawr i'r afon heno efo'r ci", "suicidal"),
        ("nes i rannu llun o'r ci yn y group chat", "image_abuse"),
        ("mae hi'n cuddio'r anrhegion rhag dad", "self_harm"),
        ("ma nhw'n dod i nôl fi am 6 i fynd i'r bowlio", "picked_up"),
        ("mae o wedi gadael y tŷ yn barod", "safe_now"),
        ("rhaid i fi weld ei ffrindiau hi yn y dre", "sexual_exploitation"),
        ("dwi'n mynd i ffwrdd am y penwythnos efo'r ysgol", "taken_somewhere"),
        ("wedodd hi bo ni'n mynd i'r sinema ond roedd hi'n llawn", "taken_somewhere"),
        ("dwi ddim isio gadael y parti eto", "held"),
        ("mae hi'n trio cael fi i fyny'n gynnar i'r ysgol", "coerced"),
        ("dwi'n cuddio presant pen-blwydd mam yn y cwpwrdd", "distress_now"),
        ("ma mam yn trio dod mewn i weld be dwi'n neud", "present_threat"),
        ("fi ar y bws i gaerdydd gyda ffrind fi", "taken_somewhere"),
        ("nes i gymryd paracetamol at y cur pen", "overdose"),
        ("dwi isio gorffen popeth ar y rhestr cyn y gwyliau", "suicidal"),
        ("mae mam yn gweithio mewn siop", "writer_business"),
        ("nes i brynu diod i mam", "substances"),
        ("mae hi'n edrych allan trwy'r ffenest ar yr eira", "present_threat"),
        ("dwi newydd orffen fy ngwaith cartref", "said_now"),
        ("dwi'n aros wrth y giât am mam", "present_threat"),
        ("dwi di mynd lan i'r dre gyda dad", "taken_somewhere"),
        ("mae o'n anfon negeseuon hir ata i", "sexual_talk"),
        ("nath o fy ngham-drin i llynedd, mae o'n aros yn yr un pentre", "said_now"),
        ("daeth y dyn tân i'r ysgol heddiw", "adult_mention"),
        ("mae'r dyn post yn hwyr eto", "adult_mention"),
        ("ma mam yn dod i nôl fi am 6", "taken_somewhere"),
        ("nes i ddilyn y gyfres i gyd", "stalked_now"),
        ("dwi angen cyllell i dorri'r gacen", "armed"),
        ("dwi 'di cael fy nghloi allan o'r cyfrif fortnite", "held"),
        ("ma na wenynen yn y stafell a dwi'n cuddio o dan y duvet", "distress_now"),
        ("nath mam bethau i fi pan o'n i'n sâl", "sexual_abuse"),
        ("sai'n gallu gadael y ty heddiw, dwi'n sâl", "held"),
        ("nath mam gloi'r drws cyn mynd i'r gwaith", "held"),
        ("dwi'n neud petha fel gwaith cartref pan dwi'n aros adra", "sexual_abuse"),
        ("dwi ddim isio byw yng Nghaerdydd", "suicidal_thoughts"),
        ("sa i moyn bod fan hyn, ma'r wers yn boring", "suicidal_thoughts"),
        ("dwi'n mynd i orffen y cyfan o'r gwaith cartref heno", "suicidal"),
        ("ma na fideo o'r gem yn mynd rownd", "image_abuse"),
        ("ma na fideo yn mynd rownd o Mr Jones yn dawnsio", "image_abuse"),
        ("dwi'n mynd â'r plant i westy yn Llandudno am y penwythnos", "taken_somewhere"),
        ("nath o lot o betha i fi pan symudes i", "sexual_abuse"),
        ("mae mam yn gneud fi neud fy ngwaith cartref", "criminal_exploitation"),
        ("dwi isio mwy o amser neu dwi'n mynd i fethu", "sextortion"),
        ("mae'r drws ffrynt wedi cloi a dwi di colli goriad", "held"),
        ("dwi di cael fy nal yn copio yn yr arholiad maths", "held"),
        ("mae mam yn neud fi neud petha yn y ty", "sexual_abuse"),
    ],
)
def test_everyday_welsh_does_not_show_the_indicator(text, not_shown):
    assert not_shown not in indicators(text)


def test_the_tellers_age_now_is_not_something_happening_now():
    def kept(text: str) -> set[str]:
        normalised = welsh(text)
        return set(read_signals(normalised, PATTERNS.matches(normalised), {}, "cy").indicators)

    told = kept("o'dd cefnder fi'n cyffwrdd fi pan o'n i'n 9. fi'n 15 nawr")
    assert "now" not in told and "said_now" not in told
    assert "now" in kept("mae o tu allan nawr")


@pytest.mark.parametrize(
    "text, writer, others",
    [
        ("ma nghariad i'n 19 a fi'n 13", 13, (19,)),
        ("dwi'n 14 a mae o'n 25", 14, (25,)),
        ("nath dyn o grindr, sy'n 35, gysgu efo fi ond dwi ond yn 15", 15, (35,)),
        ("ma'n gariad i'n 22 a dwi'n 15", 15, (22,)),
        ("ffrind fi'n 14", None, ()),
    ],
)
def test_the_writers_age_is_theirs_not_their_boyfriends_or_friends(text, writer, others):
    normalised = welsh(text)
    signals = read_signals(normalised, PATTERNS.matches(normalised), {}, "cy")
    assert signals.writer_age == writer
    assert signals.other_ages == others


def test_a_reply_too_short_to_tell_is_read_in_the_conversations_language():
    vocabulary = frozenset({"fi", "14", "ok"})
    welsh_words = dictionary_headwords() | {"fi", "n"}

    def read(conversation_language):
        text = "fi'n 14"
        return read_message(
            text, normalise(text), PATTERNS, None, vocabulary, welsh_words, conversation_language
        )

    assert read("cy").language == "cy"
    assert read("cy").writer_age == 14
    assert read(None).language == "unsure"
    assert read("en").writer_age is None


@pytest.mark.parametrize(
    "text, ages",
    [
        ("mae fy merch 15 oed yn gweld dyn", (15,)),
        ("ma chwaer fach fi'n 11", (11,)),
        ("mae hogan 13 oed yn dod i'r siop", (13,)),
        ("dwi newydd ollwng merch tua 12 oed", (12,)),
        ("mae genod dan 15 oed yn y bar", (15,)),
        ("mae fy merch yn 25 rŵan", ()),
    ],
)
def test_a_childs_age_is_read_from_who_they_are(text, ages):
    normalised = welsh(text)
    assert read_signals(normalised, PATTERNS.matches(normalised), {}, "cy").child_ages == ages


def test_one_welsh_word_is_enough_in_a_welsh_conversation_but_not_in_an_english_one():
    vocabulary = frozenset({"ma", "hi", "14", "help", "he", "is", "here"})
    welsh_words = dictionary_headwords() | {"ma", "hi", "n"}

    def language(text, conversation_language):
        return read_message(
            text, normalise(text), PATTERNS, None, vocabulary, welsh_words, conversation_language
        ).language

    assert language("ma hi'n 14", "cy") == "cy"
    assert language("ma hi'n 14", "en") != "cy"
    assert language("help he is here", "cy") != "cy"


def test_an_uncle_collecting_a_child_is_not_family_care():
    assert "family_care" not in indicators("mae fy ewythr yn dod i nôl fi")


def test_reading_a_reply_as_welsh_never_hides_what_it_shows_as_written():
    # English text-speak in a Welsh conversation: the Welsh reading does not expand "hes", "rn"
    vocabulary = frozenset({"he", "is", "here"})
    welsh_words = dictionary_headwords()
    text = "hes here"  # too short to tell
    read_in_welsh = _signals_in("cy", text, normalise(text), PATTERNS, None, welsh_words)
    assert "present_threat" not in read_in_welsh.indicators
    signals = read_message(text, normalise(text), PATTERNS, None, vocabulary, welsh_words, "cy")
    assert "present_threat" in signals.indicators
    assert signals.language == "cy"  # the conversation stays in Welsh


def test_killing_yourself_laughing_is_a_figure_of_speech_and_wanting_to_is_not():
    def kept(text: str) -> set[str]:
        normalised = welsh(text)
        return set(read_signals(normalised, PATTERNS.matches(normalised), {}, "cy").indicators)

    assert "suicidal" not in kept("dwi'n lladd fy hun yn chwerthin ar y fideo ma")
    assert "suicidal" in kept("dwi isio lladd fy hun")


def test_and_now_he_says_tells_what_came_next_not_this_moment():
    def kept(text: str) -> set[str]:
        normalised = welsh(text)
        return set(read_signals(normalised, PATTERNS.matches(normalised), {}, "cy").indicators)

    told = kept("a rŵan mae o'n deud bydd o'n gyrru'r lluniau i bawb os dwi'm yn gyrru mwy")
    assert "sextortion" in told and "now" not in told
    assert "now" not in kept("a nawr ma fe moyn mwy neu bydd e'n rhoi nhw ar-lein")
    assert "now" in kept("rŵan mae o tu allan")
    assert "now" in kept("mae o'n deud petha ffiaidd rŵan")


def test_family_or_the_writer_waiting_in_the_car_outside_is_not_someone_outside():
    def kept(text: str) -> set[str]:
        normalised = welsh(text)
        return set(read_signals(normalised, PATTERNS.matches(normalised), {}, "cy").indicators)

    assert "present_threat" not in kept("mam yn aros yn y car tu allan rhaid fi fynd")
    assert "present_threat" not in kept("dwi'n aros yn y car tu allan i'r ysgol ers 10 munud")
    assert "present_threat" not in kept("dwi wedi cloi'r goriadau yn y car tu allan i Tesco")
    assert "present_threat" in kept("mae dyn yn y car tu allan")
    # "our daughter sitting in a car" is not "we are sitting in a car"
    daughter = "mae'r dyn yn rhoi pres i'n merch ni yn eistedd mewn car tu allan i'r tŷ"
    assert "present_threat" in kept(daughter)
    assert "present_threat" not in kept("ni'n aros yn y car tu allan i'r ysgol")


@pytest.mark.parametrize(
    "text",
    [
        "dyn ar facetime yn gofyn i fi dynnu top fi off. dal ar y call",
        "yr hen ddyn newydd fynd a Caitlin i'w fan",
        "ma hi newydd ffonio o gar dyn dieithr",
        "dwi yn ei fflat o",
        "tacsi'n mynd a fi i rywle dwi'm yn nabod",
    ],
)
def test_now_in_welsh_is_told_by_a_call_still_going_just_now_and_where_someone_is(text):
    assert "now" in indicators(text)


def test_just_told_me_in_welsh_is_when_it_was_told_not_now():
    told = "mae fy merch newydd ddweud wrtha i bod dyn wedi cael rhyw efo hi"
    assert "now" not in indicators(told)
    assert "now" not in indicators("ma fe isio cwrdd â fi yn y parti nos sadwrn")


def test_someone_waiting_at_the_gate_or_on_the_corner_is_there_now():
    assert "present_threat" in indicators("boi 25 yn aros wrth giat ysgol i fi")
    assert "present_threat" in indicators("nes i flocio fo ond ma fo ar y gornel")
    assert "imminent" in indicators("os dwi ddim yn yrru llun erbyn 9 ma nhw'n anfon y lleill")


def test_being_told_what_to_say_about_who_he_is_is_secrecy_in_both_languages():
    assert "secrecy" in indicators("deud wrtha i am ddeud wrth yr athrawon mai fy mrawd i ydi o")
    assert "secrecy" in indicators("ma fe'n gweud wrtha i i weud bo fi'n 18")
    english = {m.indicator for m in PATTERNS.matches(normalise("he told me to say im his niece"))}
    assert "secrecy" in english


@pytest.mark.parametrize(
    "text",
    [
        "mam yn aros yn y car tu allan rhaid fi fynd x",
        # the writer is who is outside: not a known visitor, yet not overridden either
        "dwi'n aros yn y car tu allan i'r ysgol ers 10 munud",
    ],
)
def test_the_reading_as_written_does_not_override_a_welsh_reading_that_explains_it_away(text):
    # as English, "yn y car" is text-speak ("y" = "why") and who is waiting is not seen
    welsh_words = MODEL_WELSH_WORDS | dictionary_headwords()
    signals = read_message(text, normalise(text), PATTERNS, None, frozenset(), welsh_words)
    assert signals.language == "cy"
    assert "present_threat" not in signals.indicators


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("ma hi yn y parc wan", "now"),
        ("dwi yn y lobby", "now"),
        ("maen nhw lan yn stafell 12", "now"),
        ("ma mwy a mwy o ddynion yn cyrraedd", "now"),
        ("boi o tiktok sy dros 20", "other_age"),
        ("efo'i ffrindia fo sy'n 25", "other_age"),
        ("ma rhywun di bod yn cnocio drws ni ers 10 munud", "present_threat"),
        ("ma nw'n cyrraedd am 11", "imminent"),
        ("nath o ddeud 'ar y ffordd'", "imminent"),
        ("neu mae e'n anfon y lluniau erill at mam", "sextortion"),
        ("ffrind fi'n cal pres gan ddynion am... petha", "sexual_exploitation"),
        ("ma'r hogia hyn yn mynd a ni allan i gwrdd a dynion", "sexual_exploitation"),
        ("ma nhw'n mynd â ni i dai gwahanol bob penwythnos, at ddynion", "sexual_exploitation"),
        ("cal mynd i'r parti os oddan ni'n neud be oddan nhw isio", "sexual_exploitation"),
        ("ma'i ffrind o'n neud fi eistedd ar ei lin o", "sexual_abuse"),
        ("ma fe'n neud i fi dynnu dillad o flaen y camera", "sexual_abuse"),
        ("teimlo'n ych a fi ar ol be nath e neud yn y car", "sexual_abuse"),
        ("ma'r boi 'ma'n deud bo fi'n gorfod mynd efo fo", "sexual_abuse"),
        ("ffili gadel. ma fe 'di cymryd ffon fi", "held"),
        ("ma fe 'di cymryd ffon fi a'r allweddi", "held"),
        ("ddim yn cal ffonio neb", "secrecy"),
        ("ma fe'n neud fi gadw'n dawel am beth sy'n digwydd", "secrecy"),
        ("mab fi 13 ddim di dod adra o'r ysgol", "missing_now"),
        ("mab fi 13 ddim di dod adra", "about_own_child"),
        ("merch fach tua 11 wedi cael ei harwain tu ôl i'r lorïau gan ddyn", "child_age"),
        ("wedi cael ei harwain tu ôl i'r lorïau gan ddyn", "taken_somewhere"),
        ("nath nhw roi pils i ni a fi'n teimlo'n weird", "spiked"),
        ("wedi llyncu llwyth o baracetamol", "overdose"),
        ("neb yn becso amdana i so be di'r pwynt", "suicidal_thoughts"),
    ],
)
def test_welsh_facts_of_harm_and_of_now_told_without_the_usual_words(text, indicator):
    assert indicator in indicators(text)


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("dwi'n teimlo'n wan heddiw", "now"),  # "gwan" (weak), not "'wan" (now)
        ("ma fe'n gweud bod ei ffrindie fe isio cwrdd â fi yn y parti", "now"),
        ("mam ddim yn gadael fi fynd allan heno eto", "held"),
        ("brawd mawr di cloi fi allan o'r ty fel joc", "held"),
    ],
)
def test_welsh_everyday_words_near_those_facts_do_not_count(text, indicator):
    found = indicators(text)
    assert indicator not in found or found & {"house_rule", "mishap"}


def test_a_parent_keeping_me_in_or_a_brother_locking_me_out_explains_it_away():
    assert "house_rule" in indicators("mam ddim yn gadael fi fynd allan heno eto")
    assert "mishap" in indicators("ma chwaer fi 'di cloi fi mas o'r bathrwm")
    assert "family_care" in indicators("Taid sy'n rhoi lifft i fi i'r ysgol fory")


def test_a_workman_or_the_neighbours_taxi_outside_is_a_known_visitor():
    assert "known_visitor" in indicators("o, dyn y cyngor yn trwsio'r lamp stryd")
    assert "known_visitor" in indicators("tacsi i'r cymdogion oedd o")
    assert "mishap" in indicators("ma nhrwyn i'n gwaedu eto")


def test_a_welsh_reading_of_a_game_is_not_overridden_by_the_reading_as_written():
    # as English, "yn y gem" is text-speak ("y" = "why") and the game is not seen
    text = "yn y gem lol, ma'r boss yn dy gloi di mewn cell a ti methu dianc"
    welsh_words = MODEL_WELSH_WORDS | dictionary_headwords()
    signals = read_message(text, normalise(text), PATTERNS, None, frozenset(), welsh_words)
    assert signals.language == "cy"
    assert "held" not in signals.indicators
