# Ошибки, которые видит пользователь или оператор. Один ключ на код из src/domain/errors.ts.
error-config-invalid = Конфигурация неверна.
error-config-missing = Конфигурация неполна.
error-usage = Команда использована неправильно.
error-database-unreachable = База данных сейчас недоступна. Попробуйте через минуту.
error-database-error = Не удалось сохранить данные. Попробуйте ещё раз.
error-database-missing = Базы данных ещё нет: выполните `botctl setup` (первый запуск) или `botctl migrate up`.
error-schema-newer = База данных обновлена более новой версией botctl.
error-migrations-pending = Перед запуском бота базу данных нужно обновить.
error-migration-tampered = Миграция базы данных изменилась после применения.
error-migration-failed = Миграция базы данных не удалась.
error-decryption-failed = Не удалось расшифровать сохранённые данные.
error-telegram-unauthorized = Telegram не принял токен бота.
error-telegram-error = Telegram не принял запрос. Попробуйте ещё раз.
error-telegram-conflict = Обновления этого бота забирает другой процесс. Для одного токена бота запускайте один botctl.
error-gemini-unauthorized = ИИ-сервис не принял API-ключ.
error-gemini-unavailable = ИИ-сервис временно недоступен. Ваше сообщение сохранено: отправьте /retry чуть позже.
error-gemini-busy = ИИ-модель сейчас перегружена (достигнут лимит запросов). Ваше сообщение сохранено: отправьте /retry через минуту.
error-gemini-blocked = Я не могу ответить: запрос заблокирован фильтрами безопасности ИИ-сервиса.
error-gemini-empty = ИИ-сервис вернул пустой ответ. Попробуйте переформулировать или отправьте /retry.
error-quota-exceeded = Вы исчерпали дневной лимит. Он обновится в { $resetAt }.
error-quota-premium = Премиум поднимает дневные лимиты: /premium
error-rate-limited = Вы отправляете сообщения слишком часто. Подождите { $seconds } с.
error-input-too-large = Этот файл слишком большой, я не могу его прочитать.
error-backup-corrupt = Резервная копия повреждена и не может быть использована.
error-backup-passphrase = Резервная копия зашифрована, а пароль не указан или неверен.
error-backup-failed = Не удалось записать или восстановить резервную копию.
error-locked = Другой процесс botctl уже выполняет эту операцию.
error-port-in-use = HTTP-порт бота { $port } уже занят.
error-not-found = Не найдено.
error-check-failed = Проверка состояния не пройдена.
error-internal = Извините, у меня что-то пошло не так. Попробуйте ещё раз.

# Команды и чат
start-welcome =
    Привет{ $name ->
        [none] {""}
       *[other] , { $name }
    }! Я ИИ-ассистент на базе Google Gemini.
    Просто напишите мне: я помню наш разговор. /help покажет, что я умею.
help =
    <b>Что я умею</b>
    Напишите сообщение, и я отвечу, помня весь разговор.
    В группах упомяните меня, ответьте на моё сообщение или используйте /ask.

    /new: начать новый разговор (старый сохранится)
    /retry: ответить на последнее сообщение заново
    /stop: остановить ответ, который я пишу
    /ask вопрос: спросить в группе
    /image описание: нарисовать картинку (ответом на фото — изменить его)
    Голосовые, фото и документы (PDF, текст, код) тоже понимаю.
    /history: прошлые разговоры: продолжить, переименовать или удалить
    Ответьте на любое сообщение, чтобы спросить о нём; исправьте последний вопрос, и я отвечу заново.
    /sources: источники последнего ответа (если он искал в сети)
    /settings: язык, персона, подробность, часовой пояс, голосовые ответы, модель
    /prompt set текст: ваши инструкции для каждого ответа (/prompt show, /prompt clear)
    /language: язык интерфейса
    /timezone Регион/Город: ваш часовой пояс
    /usage: сколько вы использовали сегодня и когда обнулятся лимиты
    /privacy: что о вас хранится
    /export: скачать всё, что о вас хранится
    /forget: удалить всё, что о вас хранится
    /help: эта справка
new-started = Начат новый разговор. Предыдущий сохранён.
retry-nothing = Пока нечего отвечать заново: сначала напишите мне.
stop-done = Остановлено.
stop-nothing = Сейчас я ничего не пишу.
ask-usage = Напишите вопрос после команды, например: /ask что такое чёрная дыра?
access-banned = Вы больше не можете пользоваться этим ботом. Если это ошибка, напишите его владельцу.
access-not-allowed = Это закрытый бот. Попросите владельца добавить ваш id { $id }.

# Меню команд «/» (setMyCommands)
cmd-new = Начать новый разговор
cmd-retry = Ответить на последнее сообщение заново
cmd-stop = Остановить ответ
cmd-ask = Задать вопрос (в группах)
cmd-image = Нарисовать или изменить картинку
cmd-history = Прошлые разговоры
cmd-sources = Источники последнего ответа
cmd-settings = Настройки
cmd-prompt = Ваши инструкции
cmd-language = Язык интерфейса
cmd-timezone = Ваш часовой пояс
cmd-usage = Использование за сегодня и лимиты
cmd-premium = Премиум: больше лимитов за Telegram Stars
cmd-export = Скачать ваши данные
cmd-forget = Удалить все ваши данные
cmd-privacy = Что о вас хранится
cmd-help = Что я умею
cmd-start = Приветствие

# Настройки
settings-summary =
    ⚙️ Настройки
    Язык: { $language }
    Персона: { $persona }
    Подробность: { $detail }
    Часовой пояс: { $timezone }
    Голосовые ответы: { $voice }
    Модель: { $model }
    Показывать расшифровку: { $transcript }
    Предлагать продолжение: { $suggestions }{ $searchLine }
    Ваши инструкции: { $prompt }

    Любой часовой пояс: /timezone Регион/Город; свои инструкции: /prompt.
settings-prompt-set = заданы ({ $length } симв.)
settings-prompt-unset = не заданы
settings-model-default = по умолчанию ({ $model })
settings-saved = Сохранено.
settings-back = « Назад
settings-btn-language = 🌐 Язык: { $value }
settings-btn-persona = 🎭 Персона: { $value }
settings-btn-detail = 📏 Подробность: { $value }
settings-btn-timezone = 🕒 { $value }
settings-btn-voice = 🔊 Голос: { $value }
settings-btn-model = 🤖 { $value }
settings-btn-transcript = 📝 Расшифровка: { $value }
settings-btn-suggestions = 💡 Подсказки: { $value }
settings-btn-search = 🔎 Поиск в сети: { $value }
settings-search-line = Поиск в сети с источниками: { $value }
sources-heading = Источники
links-failed = Не удалось открыть: { $urls }
search-quota-used = Веб-поиски на сегодня исчерпаны: ответ основан на том, что модель уже знает.
links-unread = Я не смог открыть ссылки из вашего сообщения: эта модель не читает веб-страницы, поэтому ответ основан на том, что она уже знает.
sources-none = У последнего ответа нет источников: он был дан без поиска в сети.
settings-btn-prompt = ✍️ Свои инструкции
settings-btn-close = ✖️ Закрыть
settings-prompt-help = Отправьте /prompt set и ваши инструкции (до { $max } символов). /prompt show покажет их, /prompt clear удалит.
toggle-on = вкл.
toggle-off = выкл.
menu-outdated = Это меню устарело, теперь оно обновлено. Попробуйте ещё раз.
menu-invalid = Этот вариант недоступен.
button-stale = Эта кнопка больше не действует. Отправьте команду ещё раз.
language-en = English
language-ru = Русский
persona-assistant = Ассистент
persona-translator = Переводчик
persona-coder = Программист
persona-tutor = Репетитор
persona-editor = Редактор
detail-brief = Кратко
detail-normal = Обычно
detail-detailed = Подробно
spoken-off = Выкл.
spoken-voice = На голосовые
spoken-always = Всегда

# Язык и часовой пояс
language-choose = Выберите язык интерфейса:
language-set = Язык интерфейса: { $language }.
language-unknown = Я не знаю такого языка. Доступны: { $languages }.
timezone-choose =
    Ваш часовой пояс: { $timezone }. Выберите ниже, поделитесь геопозицией или напишите, например: /timezone Europe/Moscow.
timezone-set = Часовой пояс: { $timezone }.
timezone-invalid = «{ $input }» — неизвестный мне часовой пояс. Укажите название IANA, например Europe/Moscow или Asia/Yekaterinburg.
timezone-location-button = 📍 По геопозиции
timezone-location-ask = Нажмите кнопку ниже, чтобы отправить геопозицию. Я использую её только чтобы определить ваш часовой пояс и не сохраняю её.
timezone-from-location = Часовой пояс по вашей геопозиции: { $timezone } (сейчас { $offset }). Если он неверен, напишите /timezone Регион/Город.
timezone-from-location-sea = Ваша геопозиция вне часовых поясов стран (вы в море?), поэтому я выбрал пояс по долготе: { $timezone }, то есть { $offset }. На суше напишите /timezone Регион/Город.

# Свои инструкции
prompt-usage =
    Ваши инструкции добавляются к каждому вашему вопросу.
    /prompt set текст: сохранить (до { $max } символов)
    /prompt show: показать
    /prompt clear: удалить
prompt-saved = Инструкции сохранены ({ $length } симв.). Они действуют со следующего сообщения.
prompt-too-long = Это { $length } символов, а можно не больше { $max }. Сократите текст и отправьте снова.
prompt-show = Ваши инструкции:
    { $prompt }
prompt-none = У вас нет своих инструкций. Задайте их командой /prompt set текст.
prompt-cleared = Ваши инструкции удалены.

# Использование
usage-report =
    Использовано сегодня:
    Сообщения: { $messages }
    Токены: { $tokens }
    Изображения: { $images }
    Секунды аудио: { $audio }{ $searches }
    Лимиты обнулятся в { $resetAt } ({ $timezone }).
usage-of = { $used } из { $limit }
usage-unlimited = { $used } (без лимита)
# Добавляется к строке аудио в usage-report, когда ответы могут искать в интернете: начинается с переноса строки.
usage-searches = {"\u000A"}Веб-поиски: { $searches }
admin-link =
    Ваша ссылка для входа в панель администратора (одноразовая, действует { $minutes } мин.; никому не пересылайте):
    { $url }
admin-link-refused = Эта команда только для администраторов бота.

# История
history-heading = Ваши разговоры, страница { $page }:
history-empty = Разговоров пока нет. Просто напишите мне, чтобы начать.
history-page-empty = Больше разговоров нет.
history-untitled = Без названия
history-current = (текущий)
history-prev = « Новее
history-next = Старше »
history-conversation =
    { $title }
    Начат: { $started }
    Сообщений: { $messages }
history-continue = ▶️ Продолжить
history-rename = ✏️ Переименовать
history-delete = 🗑 Удалить
history-back = « Список
history-delete-confirm = Удалить «{ $title }» со всеми сообщениями? Это нельзя отменить.
history-delete-yes = Да, удалить
history-delete-no = Отмена
history-deleted = Удалено.
history-continued = Продолжаем «{ $title }». Следующее сообщение продолжит этот разговор.
history-continued-short = Продолжаем.
history-rename-ask = Отправьте новое название для «{ $title }» следующим сообщением.
history-renamed = Новое название: «{ $title }».
history-gone = Этого разговора больше нет.

# Права на данные
privacy-info =
    Что я храню о вас
    Ваш профиль Telegram (id, имя, имя пользователя, язык), ваши настройки вместе с вашими инструкциями, ваши разговоры (ваши сообщения и мои ответы, названия и краткие пересказы длинных разговоров), сведения о ваших голосовых сообщениях (длительность и формат, а сама запись — только если владелец хранит копии), какие рассылки владельца вам доставлены, ваши оплаты премиума в Telegram Stars, если они были, и счётчики использования по дням. Входящие сообщения также ненадолго записываются, чтобы ни одно не потерялось при перезапуске бота.
    Ваши сообщения отправляются в Google Gemini, чтобы написать ответы.
    Всё хранится, пока вы это не удалите: /history удаляет один разговор, /forget удаляет всё о вас. Владелец бота тоже может удалить ваши данные.
    { $encrypted ->
        [yes] Сообщения, пересказы и ваши инструкции хранятся зашифрованными (AES-256-GCM).
       *[no] Владелец этого бота не настроил шифрование: ваши данные хранятся незашифрованными.
    }
    /export пришлёт вам копию всех данных.
export-json-caption = Всё, что о вас хранится (JSON).
export-markdown-caption = Ваши разговоры в читаемом виде (Markdown).
export-label-heading = Ваши данные
export-label-profile = Профиль
export-label-settings = Настройки
export-label-usage = Использование по дням (UTC)
export-label-deliveries = Рассылки, отправленные вам
export-label-audio = Голосовые и аудиосообщения
export-label-payments = Оплаты премиума (Telegram Stars)
export-label-conversations = Разговоры
export-label-user = Вы
export-label-model = Ассистент
export-label-summary = Пересказ предыдущих сообщений
export-label-none = нет
forget-confirm = Удалить всё, что о вас хранится: профиль, настройки, все разговоры и статистику? Это нельзя отменить. Если нужна копия, сначала отправьте /export.
forget-yes = Удалить всё
forget-no = Отмена
forget-cancelled = Ничего не удалено.
forget-expired = Срок подтверждения истёк. Отправьте /forget ещё раз.
forget-done = Готово: ваши данные удалены (разговоров: { $conversations }, сообщений: { $messages }). Если напишете снова, я начну с чистого листа.

# Голос, фото, документы, картинки, инлайн-режим, кнопки под ответом
media-too-large = Этот файл весит { $size }, а я читаю файлы до { $limit }.
voice-too-long = Эта запись длится { $duration }, а я слушаю не больше { $limit }.
media-download-failed = Не удалось скачать этот файл из Telegram. Пожалуйста, отправьте его ещё раз.
media-unreadable = Не получилось разобрать этот файл: ИИ-сервис не смог его прочитать. Ничего не сохранено — попробуйте другой файл.
media-unavailable = ИИ-сервис временно недоступен. Ничего не сохранено: отправьте файл ещё раз чуть позже.
document-unsupported = Я не умею читать файлы { $type }. Я читаю PDF, обычный текст, Markdown, CSV, JSON, исходный код и картинки (JPEG, PNG, WebP).
image-usage = Опишите картинку после команды, например: /image маяк на рассвете. Чтобы изменить фото, ответьте на него командой /image и напишите, что поменять.
image-none = Модель ответила без картинки: { $reason }
image-unavailable = Сервис картинок временно недоступен. Попробуйте чуть позже.
tts-button = 🔊 Слушать
tts-unavailable = Голосовые ответы на этом сервере недоступны.
tts-not-found = Этот ответ больше недоступен.
tts-quota = Дневной лимит аудио исчерпан.
tts-failed = Не удалось озвучить этот ответ. Попробуйте позже.
callback-invalid = Эта кнопка недействительна.
suggestion-expired = Эта подсказка устарела — просто задайте вопрос сообщением.
suggestion-not-yours = Эти подсказки для того, кто задал вопрос.
inline-hint = Напишите вопрос после моего имени
inline-quota = Дневной лимит исчерпан
inline-refused = Сейчас недоступно: откройте бота

# Оповещения оператора (админ-чат, Slack): только id, числа и коды, никогда текст сообщений.
alert-title = botctl на { $host }
alert-gemini-down = Gemini постоянно отвечает ошибкой: автомат защиты разомкнулся, пользователям предлагается повторить позже. Проверьте `botctl doctor`.
alert-gemini-recovered = Gemini снова отвечает: автомат защиты замкнулся.
alert-error-burst = { $count } ошибок за { $seconds } с ({ $codes }). Смотрите журнал и `botctl doctor`.
alert-quota-exhausted = { $users } пользователей исчерпали дневную квоту за { $minutes } мин. Квоты: `botctl config get quotas`.
alert-broadcast-finished = Рассылка { $id } завершена: отправлено { $sent }, заблокировали бота { $blocked }, ошибок { $failed }.
alert-broadcast-failed = Рассылка { $id } остановлена ({ $reason }); ожидают отправки: { $pending }. Продолжить: `botctl broadcast resume { $id }`.
alert-backup-failed = Резервная копия не создана ({ $code }). Запустите `botctl backup create`, чтобы узнать причину.
alert-event-dead = Доставка события { $id } ({ $type }) на { $endpoint } прекращена после { $attempts } попыток. Смотрите `botctl events list --status dead`, затем `botctl events retry { $id }`.
alert-test = Проверочное оповещение от `botctl alerts test`: этот канал работает.
alert-repeated = Ещё { $count } похожих оповещений ({ $of }) за последние { $minutes } мин.

# Премиум (Telegram Stars)
premium-off = В этом боте премиум не продаётся.
premium-admin = Вы администратор бота: у вас нет лимитов, которые можно поднять.
premium-unlimited = без лимита
premium-offer =
    Премиум на { $days } дн. стоит { $stars } ⭐ (Telegram Stars). Он поднимает ваши дневные лимиты до:
    Сообщения: { $messages }
    Изображения: { $images }
    Голос и аудио: { $minutes } мин.
    Оплата во время действующего премиума добавляет к нему { $days } дн.
premium-active = Ваш премиум действует до { $until }.
premium-granted = У вас премиум.
premium-invoice-title = Премиум на { $days } дн.
premium-invoice-description = Больше сообщений, изображений и голоса в день на { $days } дн. Оплата во время действующего премиума продлевает его.
premium-invoice-label = Премиум, { $days } дн.
premium-refused-off = Премиум больше не продаётся: деньги не списаны.
premium-refused-forged = Этот счёт выставлен не этим ботом: деньги не списаны.
premium-refused-stale = Цена или срок премиума изменились после этого счёта: отправьте /premium, чтобы получить новый. Деньги не списаны.
premium-refused-other-user = Этот счёт выставлен другому пользователю: отправьте /premium, чтобы получить свой. Деньги не списаны.
premium-refused-unknown-user = С этого аккаунта здесь нельзя купить премиум: сначала отправьте /premium. Деньги не списаны.
premium-thanks = Спасибо! Премиум ваш до { $until }: повышенные лимиты действуют уже сейчас.
premium-thanks-admin = Спасибо! У администратора и так нет лимитов; оплата записана.
