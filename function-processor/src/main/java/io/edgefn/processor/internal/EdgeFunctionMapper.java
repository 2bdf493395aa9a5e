package io.edgefn.processor.internal;

import io.edgefn.api.EdgeFunction;
import io.micronaut.context.annotation.Executable;
import io.micronaut.core.annotation.AnnotationUtil;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.inject.annotation.TypedAnnotationMapper;
import io.micronaut.inject.visitor.VisitorContext;
import java.util.List;

/**
 * Tells Micronaut's compile-time processing that an {@link EdgeFunction} class is a
 * {@code @Singleton} bean whose public methods are {@code @Executable}, so the host gets
 * reflection-free {@code ExecutableMethod}s for them although the API has no Micronaut
 * dependency.
 *
 * <p>Public only because {@link java.util.ServiceLoader} instantiates it; stateless.
 */
public final class EdgeFunctionMapper implements TypedAnnotationMapper<EdgeFunction> {

    /** Creates the mapper; called by {@link java.util.ServiceLoader}. */
    public EdgeFunctionMapper() {
    }

    /** Maps {@code @EdgeFunction} to {@code @Singleton} and {@code @Executable}. */
    @Override
    public List<AnnotationValue<?>> map(AnnotationValue<EdgeFunction> annotation, VisitorContext visitorContext) {
        return List.of(
                AnnotationValue.builder(AnnotationUtil.SINGLETON).build(),
                AnnotationValue.builder(Executable.class).build());
    }

    /** Returns {@link EdgeFunction}. */
    @Override
    public Class<EdgeFunction> annotationType() {
        return EdgeFunction.class;
    }
}
