"""The first content of the legal pages, structured as German law asks. Staff complete the
bracketed parts in the portal. Used by the data migration and when a page row is missing."""

IMPRESSUM = """## Anbieter

Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG):

[Name und Rechtsform des Instituts]\\
[Straße und Hausnummer]\\
[PLZ] [Ort]

## Vertreten durch

[Name der vertretungsberechtigten Person, z. B. Vorstand oder Geschäftsführung]

## Kontakt

- E-Mail: [E-Mail-Adresse der Geschäftsstelle]
- Telefon: [Telefonnummer der Geschäftsstelle]

## Registereintrag

[Registergericht und Registernummer, falls vorhanden]

## Umsatzsteuer-Identifikationsnummer

[USt-IdNr. nach § 27a Umsatzsteuergesetz, falls vorhanden]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

[Name und Anschrift der verantwortlichen Person]

## Inhalte von Mitgliedern

Beiträge, Dokumente und Termine, die Mitglieder im Portal veröffentlichen, geben die Auffassung
der jeweiligen Verfasser*innen wieder. Hinweise auf rechtswidrige Inhalte nimmt die Geschäftsstelle
über die oben genannten Kontaktwege entgegen; sie werden nach Kenntnis unverzüglich geprüft.

## Haftung für Links

Das Portal enthält Links zu Websites Dritter, auf deren Inhalte der Anbieter keinen Einfluss hat.
Für diese Inhalte ist der jeweilige Anbieter der verlinkten Seite verantwortlich.
"""

DATENSCHUTZ = """## Verantwortliche Stelle

Verantwortlich für die Verarbeitung personenbezogener Daten in diesem Portal ist der im
[Impressum](/impressum/) genannte Anbieter.

## Datenschutzbeauftragte*r

[Name oder Funktion und Kontaktdaten der*des Datenschutzbeauftragten]

## Welche Daten verarbeitet werden

- **Konto- und Profildaten:** Name, E-Mail-Adresse, Kommune oder Institution, Organisation,
  Funktion, Themen und eine freiwillige Kurzbeschreibung.
- **Inhalte:** Beiträge in Foren, hochgeladene Dokumente, Termine und Anmeldungen zu Terminen.
- **Mitgliedschaften:** Arbeitsbereiche, denen Sie angehören, und Ihre Rolle dort.
- **Technische Daten:** IP-Adresse und Zeitpunkt bei sicherheitsrelevanten Vorgängen
  (Anmeldung, Freigaben, Moderation) im Protokoll.
- **Rückmeldungen zur Barrierefreiheit:** die Angaben, die Sie im Formular machen.

## Zwecke und Rechtsgrundlagen

Die Daten werden verarbeitet, um Ihnen die Nutzung des Portals als Mitglied zu ermöglichen
(Art. 6 Abs. 1 lit. b DSGVO), um die Sicherheit des Portals zu gewährleisten (Art. 6 Abs. 1
lit. f DSGVO) und um gesetzliche Pflichten zu erfüllen, etwa die Bearbeitung von Rückmeldungen
zur Barrierefreiheit (Art. 6 Abs. 1 lit. c DSGVO).

## Empfänger

Ihre Profildaten sehen andere freigeschaltete Mitglieder; Ihre E-Mail-Adresse nur, wenn Sie
das in Ihrem Profil erlauben. Inhalte in Arbeitsbereichen sehen nur die Personen, die den
Arbeitsbereich sehen dürfen. [Auftragsverarbeiter, z. B. Hosting-Dienstleister, eintragen.]
Eine Übermittlung in Drittländer findet nicht statt.

## Speicherdauer

Kontodaten werden gespeichert, solange Ihr Konto besteht. Nach der Löschung des Kontos werden
sie entfernt; Beiträge können auf Wunsch anonymisiert erhalten bleiben. Protokolleinträge
werden nach [Frist eintragen] gelöscht.

## Cookies

Das Portal setzt nur technisch notwendige Cookies: die Sitzung, den Schutz vor
Cross-Site-Request-Forgery und Ihre Sprachwahl. Es gibt kein Tracking, keine Analysewerkzeuge
und keine Inhalte von Drittanbietern; Schriften, Skripte und Stile liefert das Portal selbst aus.

## Kalender-Abonnement

Wenn Sie eine Abo-Adresse für Ihren Kalender erzeugen, enthält sie einen geheimen Schlüssel.
Wer die Adresse kennt, kann Ihre Termine ohne Anmeldung lesen. Sie können die Adresse jederzeit
neu erzeugen oder abschalten.

## Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17),
Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch
(Art. 21). Wenden Sie sich dazu an die verantwortliche Stelle.

## Beschwerderecht

Sie können sich bei einer Aufsichtsbehörde beschweren, in Thüringen beim Thüringer
Landesbeauftragten für den Datenschutz und die Informationsfreiheit (TLfDI).
"""

BARRIEREFREIHEIT = """Der Anbieter ist bemüht, dieses Portal im Einklang mit dem Thüringer Gesetz über den
barrierefreien Zugang zu den Websites und mobilen Anwendungen öffentlicher Stellen
(ThürBarrWebG) und der Thüringer Barrierefreie-Informationstechnik-Verordnung (ThürBITVO),
die auf die BITV 2.0 verweist, barrierefrei zugänglich zu machen.

Diese Erklärung gilt für das Mitgliederportal Sozialplanungsplattform.

## Stand der Vereinbarkeit mit den Anforderungen

Das Portal ist **teilweise vereinbar** mit den Anforderungen der BITV 2.0 (WCAG 2.1, Stufe AA).
Die Bewertung beruht auf einer Selbstbewertung mit automatischen Prüfungen (axe-core) und
manuellen Tests mit Tastatur und Screenreader.

## Nicht barrierefreie Inhalte

- **Dokumente von Mitgliedern:** Von Mitgliedern hochgeladene Dateien (zum Beispiel eingescannte
  PDF-Dateien oder Präsentationen) sind nicht immer barrierefrei. Der Anbieter kann sie nicht
  vollständig prüfen; auf Anfrage wird eine zugängliche Fassung gesucht.
- **Texte von Mitgliedern:** Beiträge in Foren können Abkürzungen, fehlende Bildbeschreibungen
  oder nicht ausgezeichnete Fremdsprachen enthalten.
- **Leichte Sprache und Gebärdensprache:** Informationen in Leichter Sprache und in Deutscher
  Gebärdensprache werden noch nicht angeboten.

## Erstellung dieser Erklärung

Diese Erklärung wurde am [Datum eintragen] erstellt und zuletzt am [Datum eintragen] überprüft.

## Feedback und Kontakt

Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten des Portals aufgefallen? Dann teilen Sie
uns das bitte über das Formular unten auf dieser Seite mit oder schreiben Sie an
[E-Mail-Adresse der Geschäftsstelle]. Das Formular können Sie auch ohne Anmeldung nutzen.
Wir antworten in der Regel innerhalb von zwei Wochen.

## Durchsetzungsverfahren

Wenn Sie auf Ihre Mitteilung innerhalb von sechs Wochen keine oder keine zufriedenstellende
Antwort erhalten haben, können Sie sich an die Landesdurchsetzungsstelle für digitale
Barrierefreiheit beim Thüringer Landesbeauftragten für Menschen mit Behinderungen wenden.
Sie unterstützt eine außergerichtliche Streitbeilegung; das Verfahren ist kostenlos und
erfordert keinen Rechtsbeistand.

- Website: [tlmb-thueringen.de – Landesdurchsetzungsstelle](https://tlmb-thueringen.de/themen/barrierefreiheit/landesdurchsetzungsstelle)
- Anschrift und E-Mail: [aktuelle Kontaktdaten der Landesdurchsetzungsstelle eintragen]
"""

PAGES = [
    ("impressum", "Impressum", IMPRESSUM),
    ("datenschutz", "Datenschutzerklärung", DATENSCHUTZ),
    ("barrierefreiheit", "Erklärung zur Barrierefreiheit", BARRIEREFREIHEIT),
]
