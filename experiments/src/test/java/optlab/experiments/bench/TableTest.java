package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void rendersFirstColumnLeftAndNumbersRight() {
        Table t = new Table("shape", "GF/s");
        t.row("sq64", "1.23");
        t.row("mlp fwd L1", "123");
        assertEquals("""
                shape       GF/s
                ----------------
                sq64        1.23
                mlp fwd L1   123
                """, t.render());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one cell"));
    }

    @Test
    void numbersKeepAboutThreeDigits() {
        assertEquals("1235", Table.num(1234.5));
        assertEquals("123", Table.num(123.4));
        assertEquals("12.3", Table.num(12.34));
        assertEquals("1.23", Table.num(1.234));
        assertEquals("0.012", Table.num(0.01234));
        assertEquals("-", Table.num(null));
    }
}
