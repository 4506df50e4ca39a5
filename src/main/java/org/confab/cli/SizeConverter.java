package org.confab.cli;

import org.confab.core.Sizes;
import picocli.CommandLine;

/** For picocli: {@code --max-file-size 500M} ({@link Sizes#parse}). */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
