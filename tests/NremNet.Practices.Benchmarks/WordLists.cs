namespace NremNet.Practices.Benchmarks;

/// <summary>
/// The words SYNTHETIC practices are written with, per language: content words of the field (drawn with a skewed
/// distribution, so some are common and most are rare, as in real text), small words that join them, section
/// headings and kinds of organisation. All in lower case except the headings; nothing here names a person, and no
/// word is one the personal-data guard reads as a case keyword (e.g. the singular "victim": the plural is used).
/// </summary>
internal sealed record WordList(string Language, string[] Content, string[] Function, string[] Headings, string[] Organisations)
{
    /// <summary>The languages practices are written in: the sample nodes' own (Nepali practices are in English) and English.</summary>
    public static readonly IReadOnlyDictionary<string, WordList> All = new Dictionary<string, WordList>(StringComparer.Ordinal)
    {
        ["en"] = new(
            "en",
            Split("""
                trafficking exploitation victims survivors labour inspection outreach shelter assistance referral identification police
                prosecutors court migrants workers agriculture construction cleaning hospitality recruitment agencies debt bondage forced
                begging criminality sexual prostitution children guardians reception asylum interpreters training helpline awareness campaign
                municipality cooperation partnership networks data monitoring evaluation report indicators risk screening interviews
                counselling health housing residence permits compensation return reintegration employers supply chains audits businesses
                contracts wages online platforms advertisements financial investigation banks border guards airports consulates legal aid
                lawyers mediators cultural peer support volunteers schools teachers youth care institutions disability roma communities women
                men boys girls domestic work fishing factories farms seasonal harvest transport drivers smuggling regional national local
                protocol guidelines toolkit coordination mechanism rapporteur ombudsman ministry justice social services caseworkers
                psychologists trauma informed safe confidential consent protection prevention prosecution convictions sentences fines seizure
                assets trade unions inspectors joint visits mobile teams multilingual leaflets digital tools survey research pilot project
                funding sustainable structural budget staff capacity workshops exchange lessons results outcomes impact challenges barriers
                trust stigma dependency accommodation transition employment education vocational language courses mentoring family
                reunification hotline procurement due diligence remediation grievance cleaning subcontractors carwash nail salons
                warehouses logistics meat processing orphanages adoption marriage surrogacy organ removal cannabis plantations
                """),
            Split("the of and in to for with on by from a an is are was were that this their our more most all each new both between after before through also which not"),
            ["What was done", "Why it was needed", "How it works", "Results", "Lessons learnt", "Costs and funding", "Next steps"],
            ["Labour Inspectorate", "Regional anti-trafficking network", "Civil-society shelter", "Municipal social services", "National police unit", "Public prosecution service", "Migrant workers' association"]),
        ["nl"] = new(
            "nl",
            Split("""
                mensenhandel uitbuiting slachtoffers arbeidsuitbuiting arbeidsinspectie hulpverlening opvang begeleiding doorverwijzing
                signalering politie officier justitie rechtbank migranten werknemers landbouw bouw schoonmaak horeca uitzendbureaus schulden
                dwang bedelarij criminaliteit seksuele prostitutie kinderen voogden asielzoekers tolken training voorlichting campagne
                gemeente samenwerking netwerk gegevens monitoring evaluatie rapport indicatoren risico gesprekken gezondheid huisvesting
                verblijfsvergunning schadevergoeding terugkeer werkgevers ketens contracten lonen online platforms advertenties financieel
                onderzoek banken grens marechaussee advocaten vrijwilligers scholen jongeren zorg instellingen gemeenschappen vrouwen mannen
                meisjes jongens huishoudelijk werk fabrieken seizoenswerk oogst vervoer chauffeurs regionale landelijke lokale protocol
                richtlijnen coördinatie mechanisme rapporteur ministerie sociale diensten casemanagers psychologen trauma veilige vertrouwelijk
                toestemming bescherming preventie vervolging veroordelingen straffen beslag vakbonden inspecteurs gezamenlijke bezoeken teams
                meertalige folders digitale instrumenten enquête pilot project financiering duurzame budget personeel capaciteit workshops
                uitwisseling lessen resultaten effecten knelpunten vertrouwen stigma afhankelijkheid woonruimte werkgelegenheid onderwijs
                beroepsopleiding taalcursussen mentoren gezin hereniging ketenaanpak zorgcoördinatoren uitbuiters ronselaars loonslavernij
                distributiecentra vleesverwerking nagelstudio's autowasstraten arbeidsmigranten huisjesmelkers detacheringsbureaus
                """),
            Split("de het een van en in op met voor door bij naar aan om die dat zijn worden werd wordt ook meer alle nieuwe tussen na niet hun onze"),
            ["Wat er gedaan is", "Waarom het nodig was", "Hoe het werkt", "Resultaten", "Geleerde lessen", "Kosten en financiering", "Volgende stappen"],
            ["Inspectie SZW", "Regionaal zorgcoördinatienetwerk", "Opvangorganisatie", "Gemeentelijke sociale dienst", "Landelijk politieteam", "Openbaar Ministerie", "Vereniging van arbeidsmigranten"]),
        ["sv"] = new(
            "sv",
            Split("""
                människohandel exploatering brottsoffer arbetskraftsexploatering arbetsmiljöverket stöd skyddat boende hänvisning
                identifiering polisen åklagare domstol migranter arbetstagare jordbruk byggbranschen städning restaurang bemanningsföretag
                skulder tvång tiggeri brottslighet sexuella prostitution barn asylsökande tolkar utbildning information kampanj kommun
                samverkan nätverk uppgifter uppföljning utvärdering rapport indikatorer risk samtal hälsa bostad uppehållstillstånd
                skadestånd återvändande arbetsgivare leverantörskedjor avtal löner plattformar annonser finansiell utredning banker gräns
                advokater volontärer skolor ungdomar vård institutioner kvinnor flickor pojkar hushållsarbete fabriker säsongsarbete skörd
                transport chaufförer regionala nationella lokala protokoll riktlinjer samordning mekanism rapportör ministeriet
                socialtjänsten handläggare psykologer trauma säkra konfidentiellt samtycke skydd förebyggande lagföring domar straff beslag
                fackförbund inspektörer gemensamma besök mobila team flerspråkiga broschyrer digitala verktyg enkät forskning pilotprojekt
                finansiering hållbar budget personal kapacitet workshoppar erfarenhetsutbyte lärdomar resultat effekter hinder förtroende
                stigma beroende sysselsättning yrkesutbildning språkkurser mentorer familj återförening länsstyrelsen regionkoordinatorer
                bärplockning nagelsalonger tvätthallar lagerarbete skogsplantering tiggande bostadsbolag
                """),
            Split("och i av för med på till som att en ett det den de är var har från om efter före mellan genom också alla nya inte deras vår"),
            ["Vad som gjordes", "Varför det behövdes", "Hur det fungerar", "Resultat", "Lärdomar", "Kostnader och finansiering", "Nästa steg"],
            ["Arbetsmiljöverket", "Regionalt nätverk mot människohandel", "Skyddat boende", "Socialtjänsten", "Nationella operativa avdelningen", "Åklagarmyndigheten", "Fackförbundets center för papperslösa"]),
        ["fi"] = new(
            "fi",
            Split("""
                ihmiskauppa hyväksikäyttö uhrit työperäinen työsuojelu auttamisjärjestelmä tuki turvakoti ohjaus tunnistaminen poliisi
                syyttäjä tuomioistuin maahanmuuttajat työntekijät maatalous rakentaminen siivous ravintola-ala vuokratyö velat pakko
                kerjääminen rikollisuus seksuaalinen prostituutio lapset edustajat turvapaikanhakijat tulkit koulutus tiedotus kampanja kunta
                yhteistyö verkosto tiedot seuranta arviointi raportti indikaattorit riski haastattelut terveys asuminen oleskelulupa korvaus
                paluu työnantajat toimitusketjut sopimukset palkat alustat ilmoitukset taloudellinen tutkinta pankit raja rajavartijat
                lakimiehet vapaaehtoiset koulut nuoret hoito laitokset naiset tytöt pojat kotityö tehtaat kausityö sadonkorjuu kuljetus
                kuljettajat alueellinen kansallinen paikallinen protokolla ohjeet koordinaatio mekanismi raportoija ministeriö
                sosiaalipalvelut sosiaalityöntekijät psykologit trauma turvallinen luottamuksellinen suostumus suojelu ennaltaehkäisy
                syytteet tuomiot rangaistukset takavarikko ammattiliitot tarkastajat yhteiset käynnit liikkuvat tiimit monikieliset esitteet
                digitaaliset työkalut kysely tutkimus pilotti hanke rahoitus kestävä budjetti henkilöstö kapasiteetti työpajat vaihto opit
                tulokset vaikutukset esteet luottamus leimautuminen riippuvuus työllisyys ammatillinen kielikurssit mentorit perhe
                yhdistäminen marjanpoiminta kynsistudiot autopesulat varastotyö metsätyö alihankkijat
                """),
            Split("ja on ei se joka että myös kanssa sekä mukaan jälkeen ennen kaikki uusi heidän meidän tai kun niin vain jo hyvin yhdessä useat"),
            ["Mitä tehtiin", "Miksi sitä tarvittiin", "Miten se toimii", "Tulokset", "Opitut asiat", "Kustannukset ja rahoitus", "Seuraavat askeleet"],
            ["Työsuojeluviranomainen", "Alueellinen ihmiskaupan vastainen verkosto", "Turvakoti", "Kunnan sosiaalipalvelut", "Poliisin ihmiskauppayksikkö", "Syyttäjälaitos", "Maahanmuuttajien yhdistys"]),
        ["bg"] = new(
            "bg",
            Split("""
                трафик експлоатация жертви трудова инспекция подкрепа подслон насочване идентифициране полиция прокуратура съд мигранти
                работници земеделие строителство почистване хотелиерство агенции дългове принуда просия престъпност сексуална проституция
                деца настойници търсещи закрила преводачи обучение информация кампания община сътрудничество мрежа данни мониторинг оценка
                доклад индикатори риск интервюта здраве жилище разрешение пребиваване обезщетение завръщане работодатели вериги договори
                заплати онлайн платформи обяви финансово разследване банки граница адвокати доброволци училища младежи грижа институции
                общности роми жени мъже момичета момчета домашна работа фабрики сезонна реколта транспорт шофьори регионален национален
                местен протокол насоки координация механизъм докладчик министерство социални услуги психолози травма безопасна поверителна
                съгласие защита превенция преследване присъди наказания конфискация синдикати инспектори съвместни посещения мобилни екипи
                многоезични брошури дигитални инструменти проучване изследване пилотен проект финансиране устойчиво бюджет персонал
                капацитет семинари обмен поуки резултати въздействие пречки доверие стигма зависимост заетост образование професионално
                езикови курсове наставници семейство реинтеграция комисия посредници бране плодове
                """),
            Split("и на в за с от по към че са е се както също всички нови между след преди чрез не техните нашите при до"),
            ["Какво беше направено", "Защо беше нужно", "Как работи", "Резултати", "Поуки", "Разходи и финансиране", "Следващи стъпки"],
            ["Изпълнителна агенция Главна инспекция по труда", "Местна комисия за борба с трафика", "Кризисен център", "Дирекция Социално подпомагане", "Главна дирекция Национална полиция", "Прокуратура", "Сдружение на работници мигранти"]),
        ["es"] = new(
            "es",
            Split("""
                trata explotación víctimas laboral inspección asistencia albergue derivación identificación policía fiscalía tribunal migrantes
                trabajadores agricultura construcción limpieza hostelería agencias deudas coacción mendicidad delincuencia sexual prostitución
                niños tutores solicitantes asilo intérpretes formación información campaña municipio cooperación red datos seguimiento
                evaluación informe indicadores riesgo entrevistas salud vivienda residencia permiso indemnización retorno empleadores cadenas
                suministro contratos salarios plataformas anuncios financiera investigación bancos frontera abogados voluntarios escuelas
                jóvenes cuidado instituciones comunidades mujeres hombres niñas doméstico trabajo fábricas temporada cosecha transporte
                conductores regional nacional local protocolo directrices coordinación mecanismo relator ministerio servicios sociales
                psicólogos trauma seguro confidencial consentimiento protección prevención enjuiciamiento condenas penas decomiso sindicatos
                inspectores conjuntas visitas móviles equipos multilingües folletos digitales herramientas encuesta piloto proyecto
                financiación sostenible presupuesto personal capacidad talleres intercambio lecciones resultados impacto obstáculos confianza
                estigma dependencia empleo educación profesional cursos idiomas mentores familia reintegración reunificación talleres
                textiles vendimia frigoríficos subcontratistas
                """),
            Split("el la los las de del y en con por para que un una se es son fue también entre después antes todas nuevos no sus nuestra a"),
            ["Qué se hizo", "Por qué era necesario", "Cómo funciona", "Resultados", "Lecciones aprendidas", "Costos y financiación", "Próximos pasos"],
            ["Inspección del Trabajo", "Red regional contra la trata", "Albergue de la sociedad civil", "Servicios sociales municipales", "Unidad de la policía federal", "Fiscalía especializada", "Asociación de trabajadores migrantes"]),
    };

    private static string[] Split(string words) =>
        [.. words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
