using NremNet.Domain.Statistics;

namespace NremNet.Domain.Tests.Statistics;

public class CellCodesTests
{
    [Fact]
    public void Of_AnyOrder_GivesCatalogueOrderAndDropsTotals()
    {
        var cell = CellCodes.Of(("EXPLOIT", "LAB"), ("AGE", "_T"), ("SEX", "F"));

        Assert.Equal("SEX=F;EXPLOIT=LAB", cell.Key);
        Assert.Equal("SEX;EXPLOIT", cell.Signature);
        Assert.Equal("_T", cell.CodeOf("AGE"));
        Assert.Equal(cell, CellCodes.Parse(cell.Key));
    }

    [Fact]
    public void Of_UnknownCode_NamesIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => CellCodes.Of(("SEX", "Q")));

        Assert.Contains("'Q' is not a code of SEX", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonCanonicalOrder_IsRefused()
    {
        Assert.Throws<FormatException>(() => CellCodes.Parse("EXPLOIT=LAB;SEX=F"));
    }

    [Fact]
    public void Without_GivesTheParentCell()
    {
        var cell = CellCodes.Of(("SEX", "F"), ("EXPLOIT", "LAB"));

        Assert.Equal("EXPLOIT=LAB", cell.Without("SEX").Key);
        Assert.Same(CellCodes.Total, CellCodes.Of(("SEX", "_T")));
    }
}
