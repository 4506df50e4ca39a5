package org.confab.ui.common;

import java.util.Optional;
import java.util.function.Function;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;

/**
 * One input of a form: its text, the rule's verdict ({@link #problemProperty()}, "" when fine) and
 * what the view shows ({@link #shownProblemProperty()}): a field complains only once it was edited
 * or the form was submitted, so an empty new form is not a wall of red.
 */
public final class Field {
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper override = new ReadOnlyStringWrapper(this, "override", "");
    private final ReadOnlyBooleanWrapper touched = new ReadOnlyBooleanWrapper(this, "touched", false);
    private final ReadOnlyStringWrapper shown = new ReadOnlyStringWrapper(this, "shownProblem", "");

    /** A field judged by {@code rule}; {@code alsoDependsOn} re-runs the rule when they change. */
    public Field(String initial, Function<String, Optional<String>> rule, Observable... alsoDependsOn) {
        text.set(initial == null ? "" : initial);
        Observable[] deps = new Observable[alsoDependsOn.length + 1];
        deps[0] = text;
        System.arraycopy(alsoDependsOn, 0, deps, 1, alsoDependsOn.length);
        problem.bind(Bindings.createStringBinding(() -> rule.apply(text.get()).orElse(""), deps));
        text.addListener((obs, was, now) -> {
            touched.set(true);
            override.set("");
        });
        ObservableStringValue effective = Bindings.createStringBinding(
                () -> override.get().isEmpty() ? problem.get() : override.get(), override, problem);
        shown.bind(Bindings.createStringBinding(
                () -> touched.get() || !override.get().isEmpty() ? effective.get() : "", touched, effective, override));
    }

    /** Shows problems even if untouched (after a submit attempt). */
    public void touch() {
        touched.set(true);
    }

    /** A problem found elsewhere (e.g. the host said the nickname is taken); cleared on edit. */
    public void complain(String text) {
        override.set(text == null ? "" : text);
    }

    public StringProperty textProperty() {
        return text;
    }

    public String text() {
        return text.get();
    }

    public boolean valid() {
        return problem.get().isEmpty() && override.get().isEmpty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty shownProblemProperty() {
        return shown.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty touchedProperty() {
        return touched.getReadOnlyProperty();
    }
}
