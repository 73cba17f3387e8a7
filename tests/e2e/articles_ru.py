"""Russian articles the end-to-end tests forward: written for the tests, shaped like real channel posts."""

RIVER_POST = """**Мост через реку Лесную откроют весной**

Строительство моста через реку Лесную в Вербове завершат в марте 2026 года, сообщил губернатор области Дмитрий Лапин.

«Осталось уложить асфальт и установить освещение. Движение запустим сразу после проверки», — сказал Лапин журналистам во вторник.

По словам губернатора, мост сократит дорогу до областного центра почти вдвое. Проект обошёлся бюджету в 12 млрд рублей.

Жители ждали переправу с 1998 года, когда старый паром перестал ходить.

Фото: пресс-служба губернатора

Читать нас без VPN можно здесь: bit.ly/example"""

GERMAN_POST = """Neue Brücke über den Fluss eröffnet

Die Stadt hat am Montag die neue Brücke über den Fluss eröffnet. Der Bau dauerte drei Jahre und kostete mehr als geplant. Viele Bewohner kamen zur Eröffnung und feierten bis zum Abend. Der Bürgermeister dankte den Arbeitern für ihren Einsatz."""
