"""Reading one message: indicators, figures of speech, stories, ages, victims, questions."""

import pytest

from bot.content.catalogue import load_catalogue
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet
from bot.safety.signals import MessageSignals, read_signals, victim_subject

PATTERNS = PatternSet(load_catalogue().safety_patterns)


def read(text, scores=None):
    normalised = normalise(text)
    return read_signals(normalised, PATTERNS.matches(normalised), scores or {}, "en")


def test_real_harm_is_read_with_who_it_was_done_to():
    signals = read("my uncle touches me when mum is at work")
    assert "sexual_abuse" in signals.indicators
    assert signals.victims["sexual_abuse"] == "self"
    friend = read("my friend said he touched her")
    assert friend.victims["sexual_abuse"] == "third_person"
    assert "friend" in friend.subjects


@pytest.mark.parametrize(
    "text, victim",
    [
        ("a pupil told me 'he touches me'", "child_at_work"),
        ("my daughter just told me 'grandad touches me'", "own_child"),
        ("a year 8 pupil told me today 'my uncle touches me when i stay over'", "child_at_work"),
    ],
)
def test_a_childs_words_told_by_the_adult_they_told_are_about_the_child(text, victim):
    assert read(text).victims["sexual_abuse"] == victim


@pytest.mark.parametrize(
    "text",
    [
        "he said he touched me and i cant tell anyone",
        "my mate said he touched me at the party",
        "a boy told me he touched me while i was asleep",
    ],
)
def test_what_was_said_to_a_young_person_about_them_stays_theirs(text):
    assert read(text).victims["sexual_abuse"] == "self"


@pytest.mark.parametrize(
    "text",
    [
        "my dad will kill me if i miss the bus again",
        "this essay is abusing me",
        "im crying laughing cant breathe",
        "literally want to die this is so embarrassing",
        "we got battered 5-0 on saturday",
        "my mate said shes gonna kill me",
        "my dad found my vape and hes literally going to murder me",
        "she keeps saying shes going to kill her sister over the tv remote",
        "my sister's gonna murder me i used her mascara",
        "lost my lanyard again, reception are going to kill me",
        "im dying of laughter i cant breathe",
        "im literally gonna kill myself if i have to hear this song one more time lol",
        "i wanna die my mum just posted my baby pics on facebook",
        "being held hostage by my nan's knitting project",
        "our dog is being groomed today",
        "I'm being exploited by this duty rota",
        "i want to die lol not literally",
        "im actually gonna kill my brother he deleted my minecraft world",
        "a man touched her today on the shoulder, it was the dentist",
    ],
)
def test_figures_of_speech_are_not_harm(text):
    signals = read(text)
    assert "figurative" in signals.indicators
    assert not {
        "threat_to_life",
        "sexual_abuse",
        "violence",
        "suicidal",
        "held",
        "abuse_named",
        "distress_now",
    } & set(signals.indicators)


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("hes going to kill me if i dont sell it", "threat_to_life"),
        ("they said theyll kill me", "threat_to_life"),
        ("i think im being groomed by a man online", "abuse_named"),
        ("i want to die", "suicidal"),
        ("theyre holding me in a flat and wont let me leave", "held"),
        ("he touched me on the leg and said its our secret", "sexual_abuse"),
        ("he said hes going to kill my brother", "threat_to_life"),
    ],
)
def test_the_same_words_said_plainly_are_still_harm(text, indicator):
    assert indicator in read(text).indicators


def test_a_threat_to_stop_someone_telling_is_never_a_figure_of_speech():
    assert "threat_to_life" in read("he said hell kill me if i tell anyone").indicators
    assert "threat_to_life" in read("my stepdad said hell kill me if i tell").indicators


def test_someone_at_the_door_named_as_a_known_visitor_is_not_a_threat_outside():
    named = read("theres a man outside my house oh wait its the window cleaner lol")
    assert "present_threat" not in named.indicators
    assert "present_threat" in read("theres a man outside my house he keeps knocking").indicators
    sister = read("someones been flashing their lights behind me, turned out it was my sister")
    assert "stalked_now" not in sister.indicators
    for waiting in ("mums waiting outside in the car,gotta go", "im waiting outside for u x"):
        assert "known_visitor" in read(waiting).indicators, waiting
    for not_known in ("a man is outside in the car", "im outside his flat and hes got a knife"):
        assert "known_visitor" not in read(not_known).indicators, not_known
    # relief that names who it was, a prank, a lift waiting: not "omg its my dad" (fear or relief)
    for explained in (
        "someone is following me omg nvm its my sister",
        "oh wait its my dad lol",
        "wait no its my brother he was trying to scare me",
        "I'm outside in the car, come out when you're ready x",
    ):
        assert "known_visitor" in read(explained).indicators, explained
    for unclear in ("omg its my dad", "a man is outside its my uncle", "he is outside come out"):
        assert "known_visitor" not in read(unclear).indicators, unclear


def test_its_my_turn_is_distress_when_others_say_it_and_not_at_bath_time():
    assert "distress_now" in read("theres 4 of them and they keep saying its my turn").indicators
    assert "distress_now" in read("its my turn next and theres 3 of them").indicators
    assert (
        "distress_now" not in read("my brother wont get out of the bath and its my turn").indicators
    )


def test_teasing_with_baby_photos_is_not_image_abuse_but_nudes_are():
    assert not {"sextortion", "image_abuse"} & set(
        read("my brother keeps threatening to post my baby pics on insta").indicators
    )
    assert "sextortion" in read("hes threatening to post my nudes").indicators


def test_someone_wanting_money_is_sextortion_only_with_a_threat():
    assert "sextortion" not in read("i want money for prom").indicators
    pocket_money = read("She wants £20 a week which seems a lot to me").indicators
    assert "sextortion" not in pocket_money and "money" in pocket_money
    assert "money" in read("now hes asking for 200 quid").indicators
    assert "sextortion" in read("they want more or theyll send it to everyone").indicators


def test_images_seen_by_a_whole_year_are_images_spread():
    for text in ("everyone in my year has seen them", "the whole class has seen my pics"):
        assert "images_spread" in read(text).indicators, text
    assert "images_spread" not in read("everyone in my year has seen that film").indicators


def test_the_writers_own_role_is_not_an_adult_in_a_position_of_trust():
    assert "trusted_adult" not in read("I'm a PE teacher").indicators
    assert "trusted_adult" not in read("im a year 6 teacher at a primary").indicators
    assert "trusted_adult" in read("my pe teacher keeps messaging me").indicators


def test_harm_in_a_story_is_not_harm_unless_it_happened_to_the_writer():
    assert "held" not in read("just finished a book where the girl gets kidnapped").indicators
    assert "sexual_abuse" in read("in the film i realised my coach touched me").indicators


def test_ages_are_read_and_numbers_of_something_else_are_not():
    signals = read("im 13 and hes 19")
    assert (signals.writer_age, signals.other_ages) == (13, (19,))
    assert read("i am 15 minutes away").writer_age is None
    assert read("im in year 9").writer_age == 13
    assert read("my daughter is 14").child_ages == (14,)
    # every age said, and a child's school year is the child's, not the writer's
    both = read("she told me shes 14 and reckons hes about 20")
    assert (both.child_ages, set(both.other_ages)) == ((14,), {14, 20})
    pupil = read("a year 8 boy came to see me at lunch")
    assert (pupil.writer_age, pupil.child_ages) == (None, (12,))


def test_a_general_question_is_told_apart_from_a_situation():
    assert read("what is grooming").question
    assert read("can you tell me what county lines is").question
    assert not read("what do i do he has my pics").question


def test_a_question_after_a_greeting_is_still_a_general_question():
    assert read("hello what are the signs that a child is being groomed").question


@pytest.mark.parametrize(
    "text, indicator, present",
    [
        ("someone sent a video of a fight at school in the group chat", "image_abuse", False),
        ("i sent a video to someone and now its all over the group chat", "image_abuse", True),
        ("shes gonna kill herself if she doesnt get taylor swift tickets", "suicidal", False),
        ("im going to kill myself if he posts them", "suicidal", True),
        ("hi im on nights at a hotel", "writer_business", True),
        # staff say where they work in many ways; a hobby at a place is not a job there
        ("I work behind the bar in a pub", "writer_business", True),
        ("I'm on night reception at a hotel", "writer_business", True),
        ("I work housekeeping at a budget hotel", "writer_business", True),
        ("I'm a hotel receptionist", "writer_business", True),
        ("I drive a taxi", "writer_business", True),
        ("i do karate at the leisure centre", "writer_business", False),
        ("I work in a children's home", "writer_carer", True),
        # a live video call, a call just made, being put into a car: now; a habit is not
        ("hes video calling me saying take it off", "now", True),
        ("yp has just rung from a car on the m4", "now", True),
        ("she is being pulled into a van", "now", True),
        ("she has been getting into a car with a man most evenings", "now", False),
        # a past that says who someone is does not make what is happening now past
        ("someone banging on the door its the man who gave me money last week", "past", False),
        ("he gave me money last week", "past", True),
        # a family errand told as a capture is a figure of speech; a capture by family is not
        ("got kidnapped by my nan for shopping in asda", "figurative", True),
        ("held hostage by my little sister till i play barbies", "figurative", True),
        ("i was kidnapped by my dad and he wont take me back to mum", "figurative", False),
        # "going to die" is fear or a figure of speech, not a wish to die
        ("i swear im gonna die if i get another detention", "suicidal", False),
        ("i want to die", "suicidal", True),
        ("shes gonna kill herself if she fails her driving test again", "suicidal", False),
        ("im going to end it tonight", "suicidal", True),
        # "you" in an embedded "if" is anyone: a hypothetical
        ("this thing can tell u if ur gonna get kidnapped", "hypothetical", True),
        # lost is not knowing where you are, not where you will live
        ("i dont know where im going to live", "lost_now", False),
        ("dont know where i am help", "lost_now", True),
        ("i dont know where i am", "lost_now", True),
        ("its a boy from her class, theyve been chatting for weeks", "same_age", True),
        # a negation undoes "my age" too: nobody else there is a peer
        ("nobody here is my age and they got a machete", "same_age", False),
        # a self-harm method is not a mishap because it names what was used
        ("ive been burning myself with a lighter", "figurative", False),
        ("i cut myself on a tin while cooking", "figurative", True),
        # suicidal thoughts and plans said in other words
        ("like go to sleep and not wake up", "suicidal_thoughts", True),
        ("been looking up how many paracetamol u need", "suicidal_thoughts", True),
        ("googling how many paracetamol you can take for a headache", "suicidal_thoughts", False),
        ("ngl i dont think ill still be here by christmas", "suicidal", True),
        ("every night i lie there planning my own funeral", "suicidal", True),
        ("ive got the blade out", "self_harm", True),
        # exploitation told in other words
        ("he drives us to different towns at weekends", "trafficking", True),
        ("we get money n drink if we stay the night with them", "sexual_exploitation", True),
        ("now he says hell out me to my parents if i stop going round", "pressure", True),
        ("someone made a fake account with my nudes on", "image_abuse", True),
        ("police said i was a victim of county lines", "abuse_named", True),
        ("my essay is about why victims of CSE dont tell anyone", "abuse_named", False),
        # a question about words, or "if I think", is not a situation
        ("what does going country mean my sons mates keep saying it", "just_asking", True),
        ("Can I report anonymously if I think a child is being exploited?", "hypothetical", True),
        # "it's me" after a general question
        ("asking for me", "confirms_self", True),
        ("she said it on snap like an hour ago", "confirms_self", True),
        ("if i report someone will they know it was me", "confirms_self", False),
        # idioms of a daughter's fury, a sibling's hostage-taking, a sports rivalry
        ("my daughter is going to kill me for posting her baby photos", "figurative", True),
        ("im being held hostage by my little sister lol", "figurative", True),
        ("they beat us last time so its revenge", "figurative", True),
        ("apparently im being groomed haha for captain next season", "figurative", True),
        # a parent asking how to tell, a part in a play, a detention, a little brother
        ("how would i know if my son was being exploited", "hypothetical", True),
        ("were rehearsing a school play about county lines", "fiction", True),
        ("i am cast as the girl who gets exploited in our drama piece", "fiction", True),
        ("they wouldnt let us leave, it was a detention for the whole class", "figurative", True),
        ("turns out it was my baby brother following me", "known_visitor", True),
        # a parent outside may be the danger: only a laugh or a little one says it is nothing
        ("a man is outside its my dad", "known_visitor", False),
        ("i think nothings wrong as far as i know", "reassured", True),
        ("she just got a new phone for her birthday", "now", False),
        ("she just got into the back of his car", "now", True),
        # "they're not in tonight" (the men at the pub): told for later, not happening now;
        # a daughter not in tonight is another matter
        ("theyre not in tonight, i just want to know who to tell", "not_now", True),
        ("i dont think shes in danger but its been going on for months", "not_now", True),
        ("she is not in tonight and her phone is off", "not_now", False),
        # a lock that is broken is a mishap
        ("the toilet lock at school is broke again", "mishap", True),
        # someone with a weapon, not a weapon in a game or a kitchen
        ("hes got a knife", "armed", True),
        ("one of them pulled out a machete", "armed", True),
        ("pass me the knife", "armed", False),
        ("hes got a water gun lol", "armed", False),
        # self-harm and suicide said in other words
        ("i really cant stop self harming", "self_harm", True),
        ("how many ibuprofen would be fatal", "suicidal_thoughts", True),
        ("she wrote a letter saying sorry for being a burden", "suicidal", True),
        # a weekday says when, and it is not now
        ("i saw my son getting into a car outside school on tuesday", "not_now", True),
        ("last saturday a man was outside her house", "past", True),
        ("a man is outside the house right now", "not_now", False),
        # a child who cannot be reached, and a child who does not know where she is
        ("his phone keeps going straight to voicemail", "missing_now", True),
        ("she should have been home hours ago", "missing_now", True),
        ("a girl asked me what town she was in", "taken_somewhere", True),
        # a fear of something is not distress now; being terrified and shaking is
        ("she's terrified of dentists and it made her jump", "distress_now", False),
        ("she is terrified and he won't let her go", "distress_now", True),
        ("he was terrified of them", "distress_now", True),
        # coming back late is a child returning home; coming back for someone is a threat
        ("last few weeks she's been coming back late", "present_threat", False),
        ("hes coming back to take her to a party", "present_threat", True),
        ("he's coming back", "present_threat", True),
        # what staff have noticed over time is a pattern, not someone outside now
        (
            "we have noticed older men parking outside the youth club at closing time",
            "habitual",
            True,
        ),
        # someone met or talked to online; a friend met at school or a call with mum is not
        ("been talking to a guy on insta", "met_online", True),
        ("i met this lad off tiktok", "met_online", True),
        ("my online friend is 19", "met_online", True),
        ("im meeting a girl from my class on saturday", "met_online", False),
        ("talking to my mum on facetime", "met_online", False),
        # keeping it between us is secrecy; awkwardness between friends is not
        ("he said keep it between us", "secrecy", True),
        ("i dont want it to be awkward between us", "secrecy", False),
    ],
)
def test_phrasings_read_as_what_they_mean(text, indicator, present):
    assert (indicator in read(text).indicators) is present


def test_a_clause_that_goes_on_telling_is_not_a_question():
    assert not read("where they took their clothes off and he touched her").question
    assert read("where is the nearest police station").question


def test_a_mishap_is_not_being_held_and_thoughts_are_not_a_plan():
    assert "held" not in read("the lock is jammed and i cant get out of the toilet").indicators
    assert "held" in read("hes locked me in and i cant get out").indicators
    thoughts = read("i have suicidal thoughts sometimes")
    assert "suicidal_thoughts" in thoughts.indicators and "suicidal" not in thoughts.indicators


def test_when_something_was_told_is_not_urgency():
    signals = read("tonight she told me they have sex")
    assert "imminent" not in signals.indicators and "sexual_contact" in signals.indicators


@pytest.mark.parametrize(
    "text",
    [
        "tonight he finally told me some older boys get him to deliver drugs",
        "hes admitted tonight theyve had him going up to newport",
        "i overheard her on the phone tonight and asked her about it",
        "asked him about the money this evening",
        "i found out today that he has been sending her pictures",
        "checked her phone tonight and there are messages from a man",
    ],
)
def test_the_time_something_was_learned_is_not_urgency(text):
    signals = read(text)
    assert "told_at" in signals.indicators
    assert not {"now", "imminent"} & set(signals.indicators)


@pytest.mark.parametrize(
    "text",
    [
        "tonight she told me the man is picking her up at 9",
        "he told me today that they are coming for him tonight",
        "asked her about the man she is meeting tonight",
    ],
)
def test_a_time_of_what_will_happen_still_counts_after_a_time_of_telling(text):
    assert "imminent" in read(text).indicators


@pytest.mark.parametrize(
    "victim, subject",
    [
        ("me", "self"),
        ("my", "self"),
        ("her", "third_person"),
        ("my best friend", "friend"),
        ("my daughter", "own_child"),
        ("my little sister", "other_child"),
        ("my daughters", "own_child"),
        ("my mates", "friend"),
    ],
)
def test_who_a_victim_phrase_points_to(victim, subject):
    assert victim_subject(victim) == subject


def test_signals_survive_the_trip_through_the_tracker():
    signals = read("im 13 and hes 19 and he wants pics", {"danger": 0.1234, "now": 0.5})
    again = MessageSignals.from_dict(signals.as_dict())
    assert again.indicators == signals.indicators and again.writer_age == 13
    assert again.scores == {"danger": 0.123, "now": 0.5}
    assert MessageSignals.from_dict(None) == MessageSignals()  # a message stored before signals


def test_more_pills_than_one_should_is_an_overdose_and_to_stop_existing_is_suicidal():
    assert "overdose" in read("i took more of my mums pills than i should have").indicators
    assert "overdose" not in read("i took more photos than i should have").indicators
    assert "suicidal" in read("want to stop existing").indicators
    assert "suicidal" not in read("i want to stop eating sweets").indicators


def test_a_child_who_has_just_run_out_of_the_house_is_missing_now():
    text = "my 13 year old has just run out of the house after a phone call"
    assert "missing_now" in read(text).indicators
    assert "missing_now" not in read("we have run out of milk").indicators


def test_not_knowing_where_you_are_is_lost_whatever_word_comes_next():
    # a follow-up read together with it ("a guy i met online picked me up") must not hide it
    for text in ("i dont know where i am", "i dont know where i am a guy picked me up"):
        assert "lost_now" in read(text).indicators, text
    for text in ("i dont know where i am going to live", "i dont know where i am with maths"):
        assert "lost_now" not in read(text).indicators, text


def test_being_paid_to_have_sex_is_sexual_exploitation():
    assert "sexual_exploitation" in read("he pays me to have sex with him").indicators
    assert "sexual_exploitation" not in read("he pays me to walk his dog").indicators


def test_a_picture_of_me_sent_to_his_group_chat_is_spread_and_one_sent_to_family_is_not():
    assert "images_spread" in read("my ex shared a pic of me to his group chat").indicators
    assert "images_spread" not in read("my nan sent a picture of me to my aunt").indicators


def test_wanting_it_all_to_stop_and_a_note_saying_sorry_to_everyone_are_suicidal():
    for text in (
        "i just want it all to stop",
        "he left a note saying sorry to everyone",
        "it says who he wants his xbox to go to",
    ):
        assert "suicidal" in read(text).indicators, text
    for text in ("i want it to stop raining", "i want the bullying to stop"):
        assert "suicidal" not in read(text).indicators, text


def test_scots_is_read():
    assert "suicidal_thoughts" in read("keep thinkin about how tae kill masel").indicators


def test_locked_in_a_room_is_being_held():
    assert "held" in read("locked in a room").indicators
    assert "held" not in read("we locked in a room booking for friday").indicators


def test_self_harm_in_words_a_fresh_set_used_is_read():
    assert "suicidal" in read("im standing on the bridge").indicators
    assert "suicidal" not in read("we were standing on the bridge watching the boats").indicators
    assert "suicidal_thoughts" in read("does anyone actually care if i die").indicators
    assert "suicidal_thoughts" in read("she keeps saying shell be dead by christmas").indicators
    assert "suicidal" in read("she tied a ligature in her room").indicators
    assert "self_harm" in read("she posted a photo of her wrists on her story").indicators
    assert "self_harm" not in read("a photo of my arms after the gym").indicators


def test_grooming_and_image_abuse_in_words_a_fresh_set_used_are_read():
    mature = read("he keeps telling me im mature for my age and asks what i wear to bed")
    assert "sexual_talk" in mature.indicators
    assert "same_age" not in mature.indicators
    assert "same_age" in read("hes my age").indicators
    assert read("my boyfriends 22 and im 15").other_ages == (22,)
    assert read("my friend is 13 and shes seeing a guy whos 20").other_ages == (20,)
    assert "gifts" in read("says hell give me robux").indicators
    assert "gifts" in read("takeaway and phone credit sent by an unknown man").indicators
    assert "gifts" not in read("my nan sent me a birthday card").indicators
    assert "image_request" in read("he wants me to go on video with no clothes").indicators
    assert "image_request" not in read("we go on video with no camera on").indicators
    assert "image_abuse" in read("a fake account is posting nude edits of me").indicators
    assert "image_abuse" not in read("she posted some edits of the band").indicators
    assert "sexual_exploitation" in read("she makes me go on webcam for money").indicators
    assert "sexual_exploitation" not in read("i go on webcam for my online lessons").indicators
    assert "image_abuse" in read("he filmed us without me knowing").indicators
    assert "image_abuse" not in read("he filmed the match without a tripod").indicators


def test_a_written_note_alone_is_suicidal_and_a_note_for_school_is_not():
    assert "suicidal" in read("ive wrote a note").indicators
    assert "suicidal" in read("i have written a letter for my family").indicators
    assert "suicidal" not in read("ive wrote a note to my teacher about my homework").indicators


@pytest.mark.parametrize(
    "text",
    [
        "how many paracetamol does it take",
        "is it normal to want to sleep and never wake up",
        "where are you supposed to go if someone is trying to make you get in their car rn",
        "how do you hide blade marks from mum",
    ],
)
def test_a_question_in_general_form_that_is_the_askers_own_is_not_general(text):
    assert read(text).question is False


@pytest.mark.parametrize(
    "text", ["what is grooming", "how do you know if someone is being groomed"]
)
def test_a_general_question_stays_general(text):
    assert read(text).question is True


def test_being_forced_into_a_car_is_coercion_and_a_lift_is_not():
    assert "coerced" in read("someone is tryna make me get in their car").indicators
    assert "coerced" in read("two men dragged her into a van").indicators
    assert "coerced" not in read("my mum made me get in the car to go to nans").indicators


def test_not_wanting_a_parent_to_know_is_secrecy():
    assert "secrecy" in read("he just doesnt want my mum knowing").indicators
    assert "relationship" in read("my boyfriends 22").indicators


def test_a_child_home_alone_is_not_safe_at_home_and_a_sent_address_is_a_meeting():
    alone = read("a man sent my 11 year old his address and told her to come now, shes home alone")
    assert "safe_now" not in alone.indicators
    assert "meet_up" in alone.indicators
    assert "safe_now" in read("shes home now").indicators


def test_hiding_marks_and_the_train_tracks_are_self_harm_and_a_walk_or_acne_is_not():
    assert "self_harm" in read("how do i hide my cuts from my parents").indicators
    assert "suicidal" in read("im thinking about going down to the train tracks tonight").indicators
    assert not read("how do i hide acne scars").indicators
    assert "suicidal" not in read("we walked along the train tracks").indicators


def test_missing_from_the_home_for_hours_is_now_and_a_count_this_month_is_a_pattern():
    told = read(
        "A 14 year old girl has been missing from the childrens home for three hours and we know "
        "she is with men who have exploited her before"
    ).indicators
    assert {"missing_now", "sexual_exploitation"} <= told.keys()
    assert "missing_now" not in read("she went missing from school for an hour").indicators
    assert "sexual_exploitation" not in read("the men who groomed her were jailed").indicators
    assert "habitual" in read("she went missing three times this month").indicators


def test_saying_stop_over_and_over_is_distress_now():
    live = (
        "my friend is live on snap and theres a man with her in the car "
        "and shes saying stop over and over"
    )
    assert "distress_now" in read(live).indicators
    assert "distress_now" not in read("i keep saying stop to my little brother").indicators


def test_a_story_on_social_media_is_not_fiction_and_a_threat_to_send_pictures_is_sextortion():
    told = read("if i tell anyone hell send the pics to my mum and put them on my story")
    assert "sextortion" in told.indicators and "fiction" not in told.indicators
    assert "fiction" in read("im reading a story about a girl who was groomed").indicators


def test_money_once_she_has_been_with_his_mate_is_exploitation():
    heard = read("heard him telling her she'd get her money once she'd been with his mate")
    assert "sexual_exploitation" in heard.indicators
    assert (
        "sexual_exploitation"
        not in read("she gets her pocket money once shes done her chores").indicators
    )


def test_being_told_they_were_going_somewhere_else_is_being_taken_somewhere():
    deceived = read(
        "im in the car with him now, he said we were going to the cinema but weve passed it"
    )
    assert "taken_somewhere" in deceived.indicators
    assert (
        "taken_somewhere"
        not in read("mum said we were going to the cinema but it was full").indicators
    )
