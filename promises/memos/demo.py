"""The two real tjänsteskrivelser of the seeds, as demo memos: Tranås 2023–2024 and Tyresö 2018.

Their wording is the seeds' own (``shared/seeds/000_…`` and ``004_…``). What a seed does not say
is left empty rather than invented:

- Tranås (000): the memo's date is not printed; the Beslutsunderlag lists "Tjänsteutlåtande
  kommunledningsförvaltningen 2023-03-24", the best evidence of the date, so that is used. No
  diarienummer is given, so the memo is a *draft* without one: finalising it in the demo first
  shows what is missing, then the editor types the diarienummer and finalises.
- Tyresö (004): no phone or e-mail ("Klicka här för att ange text." is an empty Word field, not
  text), no Omvärldsanalys, Samråd, Ekonomi, Beslutsunderlag or list of recipients. The decision
  is not an att-clause but "Kommunledningsutskottets förslag till kommunstyrelsen: Medborgarlöftet
  2018 antas", kept in that form (lead line and a list). It is *finalised*, so the demo also
  shows a frozen memo with its stored PDF.

Loading again deletes the demo memos of these periods (and their stored PDFs and history rows)
and writes them anew, so the result is the same every time.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from municipalities.demo import TRANAS, TYRESO
from promises.memos.services import finalise_memo
from promises.models import ClauseStyle, DecisionMemo, MemoStatus, PromisePeriod


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(parts)


TRANAS_MEMO = {
    "department": "Kommunledningsförvaltningen",
    "officer_name": "Martin Palmqvist",
    "officer_title": "Säkerhetssamordnare",
    "officer_phone": "0140-683 13",
    "officer_email": "martin.palmqvist@tranås.se",
    "recipient": "Kommunstyrelsen",
    # Not printed in the seed; the date of the tjänsteutlåtande in its Beslutsunderlag.
    "memo_date": date(2023, 3, 24),
    "reference": "",
    "title": "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024",
    "proposal_heading": "Förvaltningens förslag till beslut",
    "proposal_lead": "",
    "clause_style": ClauseStyle.ATT,
    "clauses": [
        {
            "text": "anta följande medborgarlöften för åren 2023-2024:",
            "items": [
                "öka upptäckten av narkotikabrott, främst bland personer i åldern 21 år och "
                "yngre, med syfte att minska bruket av narkotika,",
                "öka den upplevda tryggheten i de centrala delarna av Tranås,",
                "arbeta långsiktigt med en säker trafikmiljö inom Tranås kommun.",
            ],
        }
    ],
    "summary": (
        "Med utgångspunkt i tidigare tecknad samverkansöverenskommelse och mot bakgrund av "
        "aktuell lägesbild, formulerar Tranås kommun och polisen tvååriga medborgarlöften som "
        "börjar gälla från och med undertecknandet."
    ),
    "description": _paragraphs(
        "Samverkan mellan polis och kommun är en nödvändighet för det att brottsförebyggande och "
        "trygghetsskapande arbetet ska kunna bedrivas effektivt. Medborgarlöften är en "
        "utveckling av dagens samverkansöverenskommelse och är en del av polismyndighetens "
        "styrmodell.",
        "Den lokala lägesbilden ska vara utgångspunkt för de mål som polisen ska arbeta med. "
        "Löftena handlar om konkreta aktiviteter som kommunen och polisen tillsammans kommit "
        "överens om för att öka tryggheten och minska brottsligheten. Medborgarlöften fokuserar "
        "på den lokala lägesbilden och på sådant som de som bor och verkar i ett område upplever "
        "som viktigast för att känna sig trygga och säkra.",
    ),
    "external_analysis": (
        "Polismyndigheten tecknar medborgarlöften med i princip alla landets kommuner. "
        "Medborgarlöften anpassas till lokala förutsättningar för kommunerna."
    ),
    "consultation": "Samråd har skett med kommunledningsgruppen, KLG, 2023-03-23",
    "economy": "Finansiering sker inom befintlig ram",
    "follow_up": "",
    "basis": [
        {"text": "Tjänsteutlåtande kommunledningsförvaltningen", "date": "2023-03-24"},
        {"text": "Bilaga – medborgarlöften 2023-2024", "date": ""},
    ],
    "distribution": ["Diariet", "Säkerhetssamordnaren"],
    "signatures": [
        {"name": "Pär Thudeen", "title": "Kommundirektör"},
        {"name": "Henrik Nilsson", "title": "Räddningschef"},
    ],
}

TYRESO_DESCRIPTION = _paragraphs(
    "En god samverkan mellan polis och kommun är en förutsättning för ett effektivt "
    "trygghetsskapande och brottsförebyggande arbete. Samverkan i brottsförebyggande och "
    "trygghetsskapande arbete innebär att respektive part tillför sina specifika resurser, "
    "kunskaper och kompetenser för att tillsammans minska sannolikheten för brott och reducera "
    "brottslighetens skadeverkningar.",
    "Genom samordnade insatser blir det brottsförebyggande och trygghetsskapande arbetet mer "
    "verksamt och parternas resurser används på ett mer effektivt sätt. Därför har Tyresö kommun "
    "och lokalpolisområde Nacka, sedan flera år tillbaka, samverkansöverenskommelser som reglerar "
    "och förtydligar det brottsförebyggande och trygghetsskapande arbetet.",
    "Medborgarlöften är en ny del av polisens styrmodell sen 2016 som ska förstärka och utveckla "
    "befintliga samverkansöverenskommelser mellan polis och kommun. Syftet är att medborgare och "
    "medarbetare ska kunna påverka polisens verksamhet i större omfattning än tidigare. "
    "Medborgarlöften handlar främst om att lyssna på vad medborgare som bor och verkar i kommunen "
    "upplever som viktigt för att de ska känna sig trygga och säkra.",
    "Målet med medborgarlöften är att öka tryggheten, förebygga brott samt öka medborgarnas och "
    "lokalsamhällets delaktighet i det trygghetsskapande och brottsförebyggande arbetet.",
    "2016 gjorde Tyresö kommun och polisen en trygghetsmätning, två medarbetardialoger och fyra "
    "medborgardialoger tillsammans.",
    "Därutöver publicerades en e-tjänst på tyreso.se där medborgare kunnat lämna synpunkter på "
    "trygghet och brottslighet i Tyresö. Möjligheten att få tycka till om brott och trygghet har "
    "varit största fokus under hela processen.",
    "Resultatet och analyser har legat till grund för Medborgarlöftet 2017.",
    "Då inga nya medborgarundersökningar har gjorts inom detta område under 2017 föreslås "
    "undersökningen från 2016 gälla även för Medborgarlöfte 2018 med viss justering.",
    "Det som justerats är att istället för namngivna knutpunkter, som fanns i Medborgarlöftet "
    "2017, genomföra regelbunden kartläggning för att få en bild av platser som upplevs otrygga "
    "och då rikta trygghetsskapande åtgärder utifrån det under 2018. På så sätt låser vi inte "
    "Medborgarlöftet till specifika platser utan kan styra åtgärder efter behov.",
    "I Medborgarlöftet 2018 har ”Otrygga platser” slagits ihop med ”Knutpunkter” och benämns nu "
    "”Otrygga platser”.",
    "Aktiviteter under rubriken ”Trafik” kvarstår",
    "Under 2018 ska Tyresö kommun och polisen arbeta för att öka den upplevda tryggheten i "
    "kommunen på platser med exempelvis stor genomströmning, trafikmiljöer och mörka platser . "
    "Detta ska göras genom aktiviteter inom två olika områden beskrivna i medborgarlöftet. Tyresö "
    "kommun ansvarar för sina löften och polisen för sina, även om både parter samverkar.",
    "Medborgarlöftet gäller från och med den 1 januari 2018 - 31 december 2018.",
)

TYRESO_MEMO = {
    "department": "Kommunstyrelseförvaltningen",
    "officer_name": "Maj Ingels Fagerlund",
    "officer_title": "Säkerhetschef",
    "officer_phone": "",
    "officer_email": "",
    "recipient": "Kommunledningsutskott",
    "memo_date": date(2017, 11, 13),
    "reference": "2017/KS 0393 30",
    "title": "Medborgarlöfte mellan polisen och Tyresö kommun 2018",
    "proposal_heading": "Förslag till beslut",
    "proposal_lead": "Kommunledningsutskottets förslag till kommunstyrelsen:",
    "clause_style": ClauseStyle.LIST,
    "clauses": [{"text": "Medborgarlöftet 2018 antas", "items": []}],
    "summary": (
        "Under 2018 ska Tyresö kommun och polisen arbeta för att öka den upplevda tryggheten i "
        "kommunen på platser med exempelvis stor genomströmning, olika trafikmiljöer och mörka "
        "platser. Detta ska göras genom aktiviteter inom två olika områden beskrivna i "
        "Medborgarlöftet. Tyresö kommun ansvarar för sina löften och polisen för sina, även om "
        "både parter samverkar. Medborgarlöftet gäller från och med den 1 januari 2018 - 31 "
        "december 2018."
    ),
    "description": TYRESO_DESCRIPTION,
    "external_analysis": "",
    "consultation": "",
    "economy": "",
    "follow_up": (
        "Uppföljning av medborgarlöftet görs löpande på det lokala brottsförebyggande rådet samt "
        "i övrig samverkan mellan Lokalpolisområde Nacka och Tyresö kommun."
    ),
    "basis": [],
    "distribution": [],
    "signatures": [
        {"name": "Bo Renman", "title": "Kommundirektör"},
        {
            "name": "Britt-Marie Lundberg Björk",
            "title": "Chef medborgarfokus och tekniska kontoret",
        },
    ],
}


def _delete_demo_memos(periods):
    memos = DecisionMemo.objects.filter(period__in=periods, is_demo=True)
    for memo in memos:
        if memo.pdf:
            memo.pdf.storage.delete(memo.pdf.name)
    DecisionMemo.history.filter(period__in=periods, is_demo=True).delete()
    memos.delete()


@transaction.atomic
def load_demo_memos() -> list[DecisionMemo]:
    """(Re)write the Tranås 2023–2024 memo as a draft and the Tyresö 2018 memo as finalised.

    Run after the demo periods and users exist (``manage.py load_demo`` calls it last). Each memo
    is written, and Tyresö's finalised, by its kommun's demo coordinator. A memo someone made by
    hand in the demo (not ``is_demo``) is kept; the demo draft is then skipped where that period
    already has a draft of its own.
    """
    users = get_user_model().objects
    plan = [
        (_period(TRANAS, "2023-2024"), TRANAS_MEMO, users.get(username="samordnare.tranas"), False),
        (_period(TYRESO, "2018"), TYRESO_MEMO, users.get(username="samordnare.tyreso"), True),
    ]
    _delete_demo_memos([period for period, *_ in plan])
    memos = []
    for period, fields, by, finalise in plan:
        if period.memos.filter(status=MemoStatus.DRAFT).exists():
            continue
        latest = period.memos.aggregate(latest=Max("version"))["latest"] or 0
        memo = DecisionMemo(period=period, version=latest + 1, is_demo=True, **fields)
        memo._history_user = by
        memo.save()
        if finalise:
            memo = finalise_memo(memo, by=by)
        memos.append(memo)
    return memos


def _period(code, slug):
    return PromisePeriod.objects.get(municipality__code=code, slug=slug)
