using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

public class PersonalDataGuardTests
{
    /// <summary>Synthetic practice prose in the guard's languages: organisations, years, statistics, addresses of web pages, helplines.</summary>
    public static TheoryData<string, string> OrdinaryProse() => new()
    {
        {
            "en",
            """
            SYNTHETIC. In 2023 the National Referral Mechanism registered 1,234 presumed victims, 38% of them in agriculture
            (Directive 2011/36/EU, art. 11). Victim Support Europe and La Strada International trained 450 frontline
            professionals between 2019-2023. The helpline 0800-123 4567 is open 24/7 and the EU number 116 006 as well; see
            https://www.example.org/reports/2024-05-17/annex?id=123456789&tel=0612345678 for the annex, or www.example.org/2024.
            GRETA's third evaluation round (GRETA(2023)05) recommended specialised shelters. The case of the Netherlands shows
            that ID checks alone do not identify victims. Each victim receives a 30-day recovery and reflection period under
            Article 13 of the Council of Europe Convention (CETS No. 197). In Amsterdam, a victim can stay for up to 90 days.
            The project, funded by the Internal Security Fund (ISF-2020-AG-THB, grant 101036254), ran from 01.03.2021 to
            31.12.2023 and cost EUR 1 250 000. The Survivors' Advisory Council reviewed the materials. The Labour Inspectorate
            visited 312 workplaces; passports were found confiscated in 27 cases and ID cards in 4. Phone interviews with 45
            employers took place in May 2022. However, the victim protocol of 2018 (version 2.1, ISBN 978-92-871-8923-4) was
            replaced. Survivors of trafficking were born in 14 countries; most were born after 1995. Unit costs fell by 12.5 %
            from 2022 to 2024 (see table 3, page 45). The case of Finland is similar; a victim, supported by Pro-tukipiste,
            received legal aid. Contact the National Rapporteur's office through its website.
            """
        },
        {
            "fr",
            """
            SYNTHÉTIQUE. En 2022, l'Office central a identifié 312 victimes présumées, dont 41 % de mineurs. Le numéro vert
            0 800 00 11 22 est gratuit. La victime, accompagnée par l'association, bénéficie d'un délai de réflexion de 30 jours
            (article L425-1). Le cas de la France montre l'intérêt d'un mécanisme national d'orientation. Les titres de séjour
            délivrés en 2021 (1 045) sont présentés à l'annexe 2. Le projet a été financé du 1er mars 2021 au 31 décembre 2023
            par le Fonds pour la sécurité intérieure. Voir https://exemple.org/rapport-2023.pdf. Aujourd'hui, la victime peut
            porter plainte à Lyon, à Paris ou à Marseille.
            """
        },
        {
            "es",
            """
            SINTÉTICO. En 2023 la Policía Nacional identificó a 278 víctimas de trata; el 62 % eran mujeres. La víctima recibe
            asistencia durante un periodo de restablecimiento de 90 días. El caso de España demuestra la utilidad de las unidades
            especializadas. La línea de ayuda 900 10 50 90 funciona las 24 horas. Más información en
            https://ejemplo.org/informe?anio=2023. El protocolo marco de 28 de octubre de 2011 sigue vigente y el proyecto
            duró de enero de 2021 a diciembre de 2023 con un presupuesto de 350.000 euros. En Buenos Aires, la víctima es
            acompañada por el Programa Nacional de Rescate.
            """
        },
        {
            "nl",
            """
            SYNTHETISCH. In 2023 registreerde CoMensha 1.257 mogelijke slachtoffers, van wie 41% in de categorie arbeidsuitbuiting.
            Het slachtoffer krijgt een bedenktijd van drie maanden. De zaak van Nederland laat zien dat samenwerking werkt. Het
            project liep van 1 januari 2021 tot 31 december 2023 en kostte € 450.000. Zie https://voorbeeld.nl/rapport-2023 of bel
            de meldlijn 0900-1234567. In Utrecht, een slachtoffer kan daar terecht bij de zorgcoördinator.
            """
        },
        {
            "sv",
            """
            SYNTETISKT. År 2023 identifierades 512 presumtiva offer, varav 58 % kvinnor. Offret erbjuds en betänketid på 30 dagar.
            Projektet pågick från 1 januari 2021 till 31 december 2023 och kostade 4 500 000 kronor. Länsstyrelsen i Stockholm
            samordnar det nationella stödprogrammet; se https://exempel.se/rapport?id=2023-11. Stödlinjen 020-123 456 är öppen
            dygnet runt.
            """
        },
        {
            "fi",
            """
            SYNTEETTINEN. Vuonna 2023 auttamisjärjestelmään otettiin 250 uutta asiakasta, joista 64 % työperäisen ihmiskaupan uhreja.
            Uhri Suomessa saa harkinta-ajan, joka on 30–90 päivää. Hanke kesti 1.1.2021–31.12.2023 ja maksoi 450 000 euroa. Lisätietoa
            osoitteessa https://esimerkki.fi/raportti-2023. Auttava puhelin 0800 161 177 palvelee ympäri vuorokauden.
            """
        },
        {
            "bg",
            """
            СИНТЕТИЧНО. През 2023 г. бяха идентифицирани 189 жертви, 47 % от тях жени. Жертвата в България получава подкрепа в
            кризисен център до 90 дни. Проектът продължи от 1 януари 2021 г. до 31 декември 2023 г. и струваше 250 000 лева.
            Повече информация: https://primer.bg/doklad-2023. Горещата линия 0800 20 100 работи денонощно.
            """
        },
    };

    [Theory]
    [MemberData(nameof(OrdinaryProse))]
    public void Check_OrdinaryPracticeProse_NoFindings(string language, string text)
    {
        var findings = PersonalDataGuard.Check([("body", text)]);

        Assert.True(findings.Count == 0, $"{language}: {string.Join("; ", findings.Select(f => $"{f.Kind} '{text.Substring(f.Start, f.Length)}'"))}");
    }

    [Fact]
    public void Check_ExamplePractice_NoFindings()
    {
        var practice = PracticeFile.Parse(PracticeFile.Example).Value!;

        Assert.Empty(PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice)));
    }

    public static TheoryData<string, PersonalDataKind, string> Obvious() => new()
    {
        // E-mail addresses
        { "Write to anna.popescu@mail.example.com for details.", PersonalDataKind.Email, "anna.popescu@mail.example.com" },
        { "Contacto: maría.lópez@correo.example.es", PersonalDataKind.Email, "maría.lópez@correo.example.es" },
        { "[mail her](mailto:victim.x@example.org)", PersonalDataKind.Email, "victim.x@example.org" },

        // Phone numbers, international and national
        { "She called from +31 6 1234 5678 last week.", PersonalDataKind.Phone, "+31 6 1234 5678" },
        { "Her number is +359 88 812 3456.", PersonalDataKind.Phone, "+359 88 812 3456" },
        { "Rufnummer 0049 30 1234567 notiert.", PersonalDataKind.Phone, "0049 30 1234567" },
        { "Anschluss 030/1234567 notiert.", PersonalDataKind.Phone, "030/1234567" },
        { "Call +46 (0)8 123 456 78 after six.", PersonalDataKind.Phone, "+46 (0)8 123 456 78" },
        { "bereikbaar op 06-12345678 na zes uur", PersonalDataKind.Phone, "06-12345678" },
        { "Il a laissé le 06 12 34 56 78 au foyer.", PersonalDataKind.Phone, "06 12 34 56 78" },
        { "hon nås på 070-123 45 67", PersonalDataKind.Phone, "070-123 45 67" },
        { "numero 040 123 4567 löytyi", PersonalDataKind.Phone, "040 123 4567" },
        { "телефон 0888 123 456 на жертвата", PersonalDataKind.Phone, "0888 123 456" },
        { "teléfono: 612 345 678", PersonalDataKind.Phone, "612 345 678" },
        { "Tel. 555 0199 23", PersonalDataKind.Phone, "555 0199 23" },

        // ID and passport numbers
        { "Her passport number is NW8F3K9L2.", PersonalDataKind.IdentityNumber, "NW8F3K9L2" },
        { "Passport No. X1234567 was kept by the employer.", PersonalDataKind.IdentityNumber, "X1234567" },
        { "Son passeport n° 12AB34567 a été retrouvé.", PersonalDataKind.IdentityNumber, "12AB34567" },
        { "Su pasaporte PAA123456 estaba caducado.", PersonalDataKind.IdentityNumber, "PAA123456" },
        { "DNI 12345678Z de la víctima", PersonalDataKind.IdentityNumber, "12345678Z" },
        { "Zijn paspoort (NXC1R2L34) lag bij de werkgever.", PersonalDataKind.IdentityNumber, "NXC1R2L34" },
        { "BSN 123456782 staat in het dossier.", PersonalDataKind.IdentityNumber, "123456782" },
        { "Hennes pass nr AA1234567 beslagtogs.", PersonalDataKind.IdentityNumber, "AA1234567" },
        { "personnummer 811218-9876", PersonalDataKind.IdentityNumber, "811218-9876" },
        { "Uhrin passi XP1234567 oli työnantajalla.", PersonalDataKind.IdentityNumber, "XP1234567" },
        { "Паспорт № 381234567 е задържан.", PersonalDataKind.IdentityNumber, "381234567" },
        { "ID: AB123456", PersonalDataKind.IdentityNumber, "AB123456" },

        // Identity numbers with a check digit, without a keyword
        { "tunnus 131052-308T kirjattiin", PersonalDataKind.IdentityNumber, "131052-308T" },
        { "registrerad som 900101-1239 i systemet", PersonalDataKind.IdentityNumber, "900101-1239" },
        { "с ЕГН 7501020018", PersonalDataKind.IdentityNumber, "7501020018" },
        { "записан като 7501020018 в регистъра", PersonalDataKind.IdentityNumber, "7501020018" },

        // IBANs
        { "Wages went to NL91 ABNA 0417 1643 00.", PersonalDataKind.Iban, "NL91 ABNA 0417 1643 00" },
        { "IBAN DE89370400440532013000 belongs to the trafficker.", PersonalDataKind.Iban, "DE89370400440532013000" },
        { "сметка BG80BNBG96611020345678", PersonalDataKind.Iban, "BG80BNBG96611020345678" },

        // Dates of birth
        { "She was born on 12 March 1998 in a village.", PersonalDataKind.DateOfBirth, "12 March 1998" },
        { "DOB: 1998-03-12", PersonalDataKind.DateOfBirth, "1998-03-12" },
        { "Date of birth 03/12/1998.", PersonalDataKind.DateOfBirth, "03/12/1998" },
        { "born in March 1998", PersonalDataKind.DateOfBirth, "March 1998" },
        { "Elle est née le 3 mars 1999 à Lyon.", PersonalDataKind.DateOfBirth, "3 mars 1999" },
        { "Il est né le 1er avril 2003.", PersonalDataKind.DateOfBirth, "1er avril 2003" },
        { "nacida el 5 de mayo de 2001", PersonalDataKind.DateOfBirth, "5 de mayo de 2001" },
        { "geboren op 14-02-2002", PersonalDataKind.DateOfBirth, "14-02-2002" },
        { "född den 7 juli 1995", PersonalDataKind.DateOfBirth, "7 juli 1995" },
        { "syntynyt 12.3.1998 Tampereella", PersonalDataKind.DateOfBirth, "12.3.1998" },
        { "родена на 12 март 1998 г.", PersonalDataKind.DateOfBirth, "12 март 1998" },
        { "родилась 5 мая 2001 года", PersonalDataKind.DateOfBirth, "5 мая 2001" },

        // A person's name next to a case
        { "Mrs Popescu was referred to the shelter.", PersonalDataKind.PersonName, "Popescu" },
        { "Dr. Anna Jansen examined her.", PersonalDataKind.PersonName, "Anna Jansen" },
        { "The victim, Maria, stayed for three months.", PersonalDataKind.PersonName, "Maria" },
        { "The victim Maria Ionescu stayed for three months.", PersonalDataKind.PersonName, "Maria Ionescu" },
        { "a woman named Grace Okafor arrived", PersonalDataKind.PersonName, "Grace Okafor" },
        { "Grace Okafor, a victim of forced labour, testified.", PersonalDataKind.PersonName, "Grace Okafor" },
        { "Ana, a 19-year-old victim, was identified.", PersonalDataKind.PersonName, "Ana" },
        { "In the case of Ana P. the court awarded compensation.", PersonalDataKind.PersonName, "Ana P." },
        { "Mme Dubois a accueilli la victime.", PersonalDataKind.PersonName, "Dubois" },
        { "une femme nommée Aïcha est arrivée", PersonalDataKind.PersonName, "Aïcha" },
        { "la víctima, María, declaró ante el juez", PersonalDataKind.PersonName, "María" },
        { "una mujer llamada Rosa Gómez llegó", PersonalDataKind.PersonName, "Rosa Gómez" },
        { "het slachtoffer Fatima vertelde", PersonalDataKind.PersonName, "Fatima" },
        { "een vrouw genaamd Olena kwam binnen", PersonalDataKind.PersonName, "Olena" },
        { "offret Sara berättade", PersonalDataKind.PersonName, "Sara" },
        { "en kvinna vid namn Linnea kom", PersonalDataKind.PersonName, "Linnea" },
        { "nainen nimeltä Aino saapui", PersonalDataKind.PersonName, "Aino" },
        { "uhri Mikko kertoi", PersonalDataKind.PersonName, "Mikko" },
        { "жертвата Мария разказа", PersonalDataKind.PersonName, "Мария" },
        { "жена на име Елена пристигна", PersonalDataKind.PersonName, "Елена" },
        { "г-жа Петрова беше изслушана", PersonalDataKind.PersonName, "Петрова" },
    };

    [Theory]
    [MemberData(nameof(Obvious))]
    public void Check_ObviousPersonalData_Found(string text, PersonalDataKind kind, string expected)
    {
        var findings = PersonalDataGuard.Check([("body", text)]);

        var finding = Assert.Single(findings);
        Assert.Equal(kind, finding.Kind);
        Assert.Equal("body", finding.Field);
        Assert.Equal(expected, text.Substring(finding.Start, finding.Length));
        Assert.DoesNotContain(expected, finding.Excerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IBAN NL91ABNA0417164301 (check digit wrong)")]
    [InlineData("registrerad som 811218-9875 i systemet")]
    [InlineData("tunnus 131052-308U")]
    [InlineData("reference 7501020019 in the register")]
    [InlineData("passport checks in 2023-2024 found nothing")]
    [InlineData("passports of 150000 workers")]
    [InlineData("born out of a need identified in 2019")]
    [InlineData("the project started on 12 March 2021")]
    [InlineData("victim Support Europe and Survivor Alliance")]
    [InlineData("Finally, the victim was heard.")]
    [InlineData("In Lyon, a victim can ask for protection.")]
    [InlineData("the case of Romanian workers")]
    [InlineData("case file 06/2023/123 was closed")]
    [InlineData("Tel Aviv 2019 conference")]
    public void Check_LooksLikeButIsNot_NoFinding(string text)
    {
        Assert.Empty(PersonalDataGuard.Check([("body", text)]));
    }

    [Fact]
    public void Check_SeveralFields_EachFindingNamesItsField()
    {
        var findings = PersonalDataGuard.Check([("title", "Shelter"), ("summary", "Call +31 6 1234 5678"), ("translations[0].body", "geboren op 14-02-2002")]);

        Assert.Equal(["summary", "translations[0].body"], findings.Select(f => f.Field));
        Assert.Equal([PersonalDataKind.Phone, PersonalDataKind.DateOfBirth], findings.Select(f => f.Kind));
    }

    [Fact]
    public void Check_SeveralFindingsInOneText_InTextOrderWithoutOverlap()
    {
        var text = "The victim Maria Ionescu (born on 12 March 1998, passport NW8F3K9L2) can be reached at maria@example.org or +40 721 234 567.";

        var findings = PersonalDataGuard.Check([("body", text)]);

        Assert.Equal(
            [PersonalDataKind.PersonName, PersonalDataKind.DateOfBirth, PersonalDataKind.IdentityNumber, PersonalDataKind.Email, PersonalDataKind.Phone],
            findings.Select(f => f.Kind));
        Assert.Equal(findings.OrderBy(f => f.Start).Select(f => f.Start), findings.Select(f => f.Start));
        for (var i = 1; i < findings.Count; i++)
        {
            Assert.True(findings[i - 1].Start + findings[i - 1].Length <= findings[i].Start);
        }

        // Each excerpt masks every finding it reaches, not only its own.
        Assert.All(findings, f => Assert.DoesNotContain("NW8F3K9L2", f.Excerpt, StringComparison.Ordinal));
        Assert.All(findings, f => Assert.DoesNotContain("maria@example.org", f.Excerpt, StringComparison.Ordinal));
    }

    [Fact]
    public void Excerpt_Finding_MaskedWithContext()
    {
        var finding = Assert.Single(PersonalDataGuard.Check([("body", "She said her number is +31 6 1234 5678, then left the office.")]));

        Assert.Equal("She said her number is +•• • •••• ••78, then left the office.", finding.Excerpt);
    }

    [Fact]
    public void Excerpt_LongText_CutWithEllipses()
    {
        var text = new string('x', 100) + " passport X1234567 " + new string('y', 100);

        var finding = Assert.Single(PersonalDataGuard.Check([("body", text)]));

        Assert.Equal($"…{new string('x', 14)} passport X•••••67 {new string('y', 23)}…", finding.Excerpt);
    }

    [Fact]
    public void Excerpt_Email_KeepsOnlyTheFirstCharacterAndSeparators()
    {
        var finding = Assert.Single(PersonalDataGuard.Check([("body", "anna@example.org")]));

        Assert.Equal("a•••@•••••••.•••", finding.Excerpt);
    }

    [Fact]
    public void Fingerprint_SameFindingElsewhereInTheText_Same()
    {
        var before = Assert.Single(PersonalDataGuard.Check([("body", "Passport X1234567 was kept.")]));
        var after = Assert.Single(PersonalDataGuard.Check([("body", "Since 2021, the employer kept passport  X1234567 .")]));

        Assert.NotEqual(before.Start, after.Start);
        Assert.Equal(before.Fingerprint, after.Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", before.Fingerprint);
    }

    [Fact]
    public void Fingerprint_OtherFieldKindOrText_Differs()
    {
        var fingerprint = PersonalDataGuard.Fingerprint(PersonalDataKind.Phone, "body", "+31 6 1234 5678");

        Assert.Equal(fingerprint, PersonalDataGuard.Fingerprint(PersonalDataKind.Phone, "body", "+316 12345678"));
        Assert.NotEqual(fingerprint, PersonalDataGuard.Fingerprint(PersonalDataKind.Phone, "summary", "+31 6 1234 5678"));
        Assert.NotEqual(fingerprint, PersonalDataGuard.Fingerprint(PersonalDataKind.IdentityNumber, "body", "+31 6 1234 5678"));
        Assert.NotEqual(fingerprint, PersonalDataGuard.Fingerprint(PersonalDataKind.Phone, "body", "+31 6 1234 5679"));
    }

    [Fact]
    public void Unconfirmed_ConfirmedFingerprint_LeftOut()
    {
        var findings = PersonalDataGuard.Check([("body", "Dr. Anna Jansen led the evaluation; write to evaluation@example.org.")]);
        var name = findings.Single(f => f.Kind == PersonalDataKind.PersonName);

        var left = PersonalDataGuard.Unconfirmed(findings, [name.Fingerprint]);

        Assert.Equal(PersonalDataKind.Email, Assert.Single(left).Kind);
        Assert.Empty(PersonalDataGuard.Unconfirmed(findings, findings.Select(f => f.Fingerprint)));
    }

    [Fact]
    public void FreeText_Practice_EveryFreeTextFieldButTheContact()
    {
        var practice = PracticeSamples.Valid();

        var fields = PersonalDataGuard.FreeText(practice).Select(t => t.Field).ToList();

        Assert.Contains("title", fields);
        Assert.Contains("body", fields);
        Assert.Contains("translations[1].summary", fields);
        Assert.Contains("evidence.criteria.ethics.justification", fields);
        Assert.Contains("evidence.source.title", fields);
        Assert.Contains("links[0].title", fields);
        Assert.Contains("tags[2]", fields);
        Assert.Contains("attachments[1].name", fields);
        Assert.DoesNotContain(fields, f => f.StartsWith("contact", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PracticeWithPersonalDataInTranslation_FoundAtItsField()
    {
        var practice = PracticeSamples.Valid() with
        {
            Translations = [PracticeSamples.Valid().Translations[0] with { Body = "Het slachtoffer Fatima belde vanaf 06-12345678." }],
        };

        var findings = PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice));

        Assert.Equal([("translations[0].body", PersonalDataKind.PersonName), ("translations[0].body", PersonalDataKind.Phone)], findings.Select(f => (f.Field, f.Kind)));
    }

    [Fact]
    public void Check_LongHostileText_Finishes()
    {
        var text = string.Concat(Enumerable.Repeat("victim Aaaa Bbbb Cccc passport 1 2 3 4 +1 2 3 4 5 6 7 ", 2_000)) + new string('a', 50_000) + "@";

        var findings = PersonalDataGuard.Check([("body", text)]);

        Assert.NotEmpty(findings);
    }
}
