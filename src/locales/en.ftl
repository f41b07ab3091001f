# Errors a user or operator can see. One key per code in src/domain/errors.ts.
error-config-invalid = The configuration is invalid.
error-config-missing = The configuration is incomplete.
error-usage = That command was not used correctly.
error-database-unreachable = The database is not reachable right now. Please try again in a minute.
error-database-error = Something went wrong while saving. Please try again.
error-database-missing = There is no database yet: run `botctl setup` (first time) or `botctl migrate up`.
error-schema-newer = The database was upgraded by a newer botctl.
error-migrations-pending = The database needs an upgrade before the bot can start.
error-migration-tampered = A database migration changed after it was applied.
error-migration-failed = A database migration failed.
error-decryption-failed = Stored data could not be decrypted.
error-telegram-unauthorized = Telegram rejected the bot token.
error-telegram-error = Telegram did not accept the request. Please try again.
error-telegram-conflict = Another process is taking this bot's updates from Telegram. Run one botctl per bot token.
error-gemini-unauthorized = The AI service rejected the API key.
error-gemini-unavailable = The AI service is temporarily unavailable. Your message is kept: send /retry in a little while.
error-gemini-busy = The AI model is busy right now (its request limit is reached). Your message is kept: send /retry in a minute.
error-gemini-blocked = I can't answer that: the request was blocked by the AI service's safety filters.
error-gemini-empty = The AI service returned an empty answer. Try rephrasing, or send /retry.
error-quota-exceeded = You have reached today's limit. It resets at { $resetAt }.
error-quota-premium = Premium raises your daily limits: /premium
error-rate-limited = You're sending messages too fast. Please wait { $seconds } s.
error-input-too-large = That file is too large for me to read.
error-backup-corrupt = The backup is damaged and cannot be used.
error-backup-passphrase = The backup is encrypted and the passphrase is missing or wrong.
error-backup-failed = The backup could not be written or restored.
error-locked = Another botctl process is already doing this.
error-port-in-use = The bot's HTTP port { $port } is already in use.
error-not-found = Not found.
error-check-failed = A health check failed.
error-internal = Sorry, something went wrong on my side. Please try again.

# Commands and chat
start-welcome =
    Hi{ $name ->
        [none] {""}
       *[other] , { $name }
    }! I'm an AI assistant powered by Google Gemini.
    Just write to me: I remember our conversation. /help lists what I can do.
help =
    <b>What I can do</b>
    Write a message and I'll answer, remembering the conversation.
    In groups, mention me, reply to my message, or use /ask.

    /new: start a fresh conversation (the old one is kept)
    /retry: answer your last message again
    /stop: stop the answer being written
    /ask question: ask in a group
    /image description: draw a picture (reply to a photo to change it)
    Voice messages, photos and documents (PDF, text, code) work too.
    /history: your past conversations: continue, rename or delete one
    Reply to any message to ask about it; edit your last question to ask it again.
    /sources: the web sources of the last answer (when it searched the web)
    /settings: language, persona, detail, time zone, spoken answers, model
    /prompt set text: your own instructions for every answer (/prompt show, /prompt clear)
    /language: interface language
    /timezone Area/City: your time zone
    /usage: what you used today and when the limits reset
    /privacy: what is stored about you
    /export: download everything stored about you
    /forget: delete everything stored about you
    /help: this help
new-started = Started a new conversation. The previous one is saved.
retry-nothing = There is nothing to answer again yet: send me a message first.
stop-done = Stopped.
stop-nothing = There is no answer being written right now.
ask-usage = Write your question after the command, for example: /ask what is a black hole?
access-banned = You can no longer use this bot. If you think this is a mistake, contact its owner.
access-not-allowed = This bot is private. Ask its owner to add your id { $id }.

# The "/" command menu (setMyCommands)
cmd-new = Start a fresh conversation
cmd-retry = Answer the last message again
cmd-stop = Stop the answer being written
cmd-ask = Ask a question (in groups)
cmd-image = Draw or change a picture
cmd-history = Past conversations
cmd-sources = Sources of the last answer
cmd-settings = Settings
cmd-prompt = Your own instructions
cmd-language = Interface language
cmd-timezone = Your time zone
cmd-usage = Today's usage and limits
cmd-premium = Premium: higher limits for Telegram Stars
cmd-export = Download your data
cmd-forget = Delete all your data
cmd-privacy = What is stored about you
cmd-help = What I can do
cmd-start = Welcome

# Settings
settings-summary =
    ⚙️ Settings
    Language: { $language }
    Persona: { $persona }
    Detail: { $detail }
    Time zone: { $timezone }
    Spoken answers: { $voice }
    Model: { $model }
    Show transcripts: { $transcript }
    Follow-up suggestions: { $suggestions }{ $searchLine }
    Own instructions: { $prompt }

    Type /timezone Area/City for any time zone, /prompt to write your own instructions.
settings-prompt-set = set ({ $length } characters)
settings-prompt-unset = not set
settings-model-default = default ({ $model })
settings-saved = Saved.
settings-back = « Back
settings-btn-language = 🌐 Language: { $value }
settings-btn-persona = 🎭 Persona: { $value }
settings-btn-detail = 📏 Detail: { $value }
settings-btn-timezone = 🕒 { $value }
settings-btn-voice = 🔊 Spoken: { $value }
settings-btn-model = 🤖 { $value }
settings-btn-transcript = 📝 Transcripts: { $value }
settings-btn-suggestions = 💡 Suggestions: { $value }
settings-btn-search = 🔎 Web search: { $value }
settings-search-line = Web search with sources: { $value }
sources-heading = Sources
links-failed = Could not open: { $urls }
search-quota-used = Today's web searches are used up: this answer is from what the model already knows.
links-unread = I could not open the links in your message: this model cannot read web pages, so the answer is from what it already knows.
sources-none = The last answer has no sources: it was not grounded in a web search.
settings-btn-prompt = ✍️ Own instructions
settings-btn-close = ✖️ Close
settings-prompt-help = Send /prompt set followed by your instructions (up to { $max } characters). /prompt show shows them, /prompt clear removes them.
toggle-on = on
toggle-off = off
menu-outdated = This menu was out of date; it is current now. Please try again.
menu-invalid = That choice is not available.
button-stale = This button is no longer valid. Send the command again.
language-en = English
language-ru = Русский
persona-assistant = Assistant
persona-translator = Translator
persona-coder = Programmer
persona-tutor = Tutor
persona-editor = Editor
detail-brief = Brief
detail-normal = Normal
detail-detailed = Detailed
spoken-off = Off
spoken-voice = To voice messages
spoken-always = Always

# Language and time zone
language-choose = Choose the interface language:
language-set = Interface language: { $language }.
language-unknown = I don't know that language. Available: { $languages }.
timezone-choose =
    Your time zone is { $timezone }. Pick one below, share your location, or type it, for example /timezone Europe/Berlin.
timezone-set = Time zone set to { $timezone }.
timezone-invalid = "{ $input }" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.
timezone-location-button = 📍 Use my location
timezone-location-ask = Tap the button below to share your location. I only use it to find the time zone you are in and do not store it.
timezone-from-location = Time zone set to { $timezone } (now { $offset }) from your location. If it is not right, type /timezone Area/City.
timezone-from-location-sea = Your location is outside every country's time zone (at sea?), so I set the zone of your longitude: { $timezone }, which is { $offset }. On land, type /timezone Area/City.

# Own instructions
prompt-usage =
    Your own instructions are added to every question you ask.
    /prompt set text: save them (up to { $max } characters)
    /prompt show: show them
    /prompt clear: remove them
prompt-saved = Saved your instructions ({ $length } characters). They apply from your next message.
prompt-too-long = That is { $length } characters; the limit is { $max }. Please shorten it and send it again.
prompt-show = Your instructions:
    { $prompt }
prompt-none = You have no instructions of your own. Set them with /prompt set text.
prompt-cleared = Your instructions are removed.

# Usage
usage-report =
    Your usage today:
    Messages: { $messages }
    Tokens: { $tokens }
    Images: { $images }
    Audio seconds: { $audio }{ $searches }
    The limits reset at { $resetAt } ({ $timezone }).
usage-of = { $used } of { $limit }
usage-unlimited = { $used } (no limit)
# Appended to usage-report's audio line when answers may search the web: starts with a line break.
usage-searches = {"\u000A"}Web searches: { $searches }
admin-link =
    Your sign-in link to the admin panel (works once, for { $minutes } minutes; do not share it):
    { $url }
admin-link-refused = This command is for the bot's administrators.

# History
history-heading = Your conversations, page { $page }:
history-empty = You have no conversations yet. Just write to me to start one.
history-page-empty = There are no more conversations.
history-untitled = Untitled
history-current = (current)
history-prev = « Newer
history-next = Older »
history-conversation =
    { $title }
    Started: { $started }
    Messages: { $messages }
history-continue = ▶️ Continue
history-rename = ✏️ Rename
history-delete = 🗑 Delete
history-back = « List
history-delete-confirm = Delete "{ $title }" and all its messages? This cannot be undone.
history-delete-yes = Yes, delete
history-delete-no = Cancel
history-deleted = Deleted.
history-continued = Continuing "{ $title }". Your next message goes on from there.
history-continued-short = Continued.
history-rename-ask = Send the new title for "{ $title }" as your next message.
history-renamed = Renamed to "{ $title }".
history-gone = That conversation no longer exists.

# Data rights
privacy-info =
    What I store about you
    Your Telegram profile (id, name, username, language), your settings including your own instructions, your conversations (your messages and my answers, titles and summaries of long conversations), a record of your voice messages (length and format, and the audio itself only if the owner keeps copies), which of the owner's announcements reached you, your premium payments in Telegram Stars if any, and daily usage counts. Incoming messages are also logged briefly so none is lost if the bot restarts.
    Your messages are sent to Google Gemini to write the answers.
    Everything is kept until you delete it: /history deletes one conversation, /forget deletes everything about you. The bot's owner can also delete your data.
    { $encrypted ->
        [yes] Messages, summaries and your own instructions are stored encrypted (AES-256-GCM).
       *[no] This bot's owner has not configured encryption: your data is stored unencrypted.
    }
    /export sends you a copy of everything.
export-json-caption = Everything stored about you (JSON).
export-markdown-caption = Your conversations as a readable transcript (Markdown).
export-label-heading = Your data
export-label-profile = Profile
export-label-settings = Settings
export-label-usage = Usage per day (UTC)
export-label-deliveries = Broadcasts sent to you
export-label-audio = Voice and audio messages
export-label-payments = Premium payments (Telegram Stars)
export-label-conversations = Conversations
export-label-user = You
export-label-model = Assistant
export-label-summary = Summary of earlier messages
export-label-none = none
forget-confirm = Delete everything stored about you: profile, settings, all conversations and usage? This cannot be undone. Use /export first if you want a copy.
forget-yes = Delete everything
forget-no = Cancel
forget-cancelled = Nothing was deleted.
forget-expired = This confirmation has expired. Send /forget again.
forget-done =
    Done: your data is deleted ({ $conversations ->
        [one] 1 conversation
       *[other] { $conversations } conversations
    }, { $messages ->
        [one] 1 message
       *[other] { $messages } messages
    }). If you write again, I will start afresh.

# Voice, photos, documents, pictures, inline mode, answer buttons
media-too-large = That file is { $size }; I can read files up to { $limit }.
voice-too-long = That recording is { $duration } long; I listen to at most { $limit }.
media-download-failed = I couldn't download that file from Telegram. Please send it again.
media-unreadable = I couldn't make sense of that file: the AI service could not read it. Nothing was saved; try another file.
media-unavailable = The AI service is temporarily unavailable. Nothing was saved: please send the file again in a little while.
document-unsupported = I can't read { $type } files. I can read PDF, plain text, Markdown, CSV, JSON and source code files, and images (JPEG, PNG, WebP).
image-usage = Describe the picture after the command, for example: /image a lighthouse at dawn. To change a photo, reply to it with /image and what to change.
image-none = The image model answered without a picture: { $reason }
image-unavailable = The image service is temporarily unavailable. Please try again in a little while.
tts-button = 🔊 Listen
tts-unavailable = Spoken answers are not available on this server.
tts-not-found = That answer is no longer available.
tts-quota = You have used up today's audio limit.
tts-failed = I couldn't make a voice version of that answer. Please try again later.
callback-invalid = This button is not valid.
suggestion-expired = This suggestion has expired: just ask it in a message.
suggestion-not-yours = These suggestions are for the person who asked.
inline-hint = Type a question after my name
inline-quota = Today's limit is used up
inline-refused = Not available right now: open the bot

# Operator alerts (admin chat, Slack): ids, counts and codes only, never message content.
alert-title = botctl on { $host }
alert-gemini-down = Gemini keeps failing: the circuit breaker opened and users are told to try again later. Check with `botctl doctor`.
alert-gemini-recovered = Gemini answers again: the circuit breaker closed.
alert-error-burst = { $count } errors within { $seconds } s ({ $codes }). See the log, and `botctl doctor`.
alert-quota-exhausted = { $users } users reached their daily quota within { $minutes } min. Quotas: `botctl config get quotas`.
alert-broadcast-finished = Broadcast { $id } finished: { $sent } sent, { $blocked } blocked, { $failed } failed.
alert-broadcast-failed = Broadcast { $id } stopped ({ $reason }); { $pending } still pending. Continue with `botctl broadcast resume { $id }`.
alert-backup-failed = A backup failed ({ $code }). Run `botctl backup create` to see why.
alert-event-dead = Event webhook delivery { $id } ({ $type }) to { $endpoint } was given up after { $attempts } attempts. See `botctl events list --status dead`, then `botctl events retry { $id }`.
alert-test = Test alert from `botctl alerts test`: this target works.
alert-repeated = { $count } more alerts like this ({ $of }) in the last { $minutes } min.

# Premium (Telegram Stars)
premium-off = Premium is not offered on this bot.
premium-admin = You are an admin of this bot: you have no limits to lift.
premium-unlimited = no limit
premium-offer =
    Premium for { $days } days costs { $stars } ⭐ (Telegram Stars). It raises your daily limits to:
    Messages: { $messages }
    Images: { $images }
    Voice and audio: { $minutes } min
    Paying again while premium runs adds { $days } days to it.
premium-active = Your premium runs until { $until }.
premium-granted = You have premium.
premium-invoice-title = Premium for { $days } days
premium-invoice-description = Higher daily limits for messages, images and voice for { $days } days. Paying again while premium runs extends it.
premium-invoice-label = Premium, { $days } days
premium-refused-off = Premium is not offered any more: nothing was charged.
premium-refused-forged = This invoice was not issued by this bot: nothing was charged.
premium-refused-stale = The price or period of premium has changed since this invoice: send /premium for the current offer. Nothing was charged.
premium-refused-other-user = This invoice was sent to someone else: send /premium for your own. Nothing was charged.
premium-refused-unknown-user = This account cannot buy premium here: send /premium first. Nothing was charged.
premium-thanks = Thank you! Premium is yours until { $until }: your higher limits apply from now on.
premium-thanks-admin = Thank you! As an admin you have no limits anyway; the payment is recorded.
