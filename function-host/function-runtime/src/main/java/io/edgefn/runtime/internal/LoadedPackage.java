package io.edgefn.runtime.internal;

import io.edgefn.deploy.FunctionPackage;
import io.edgefn.deploy.PackageClassLoader;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A function package loaded into the host: its own class loader (a {@link PackageClassLoader}, which
 * reads only the checked jar and never follows a manifest {@code Class-Path}, and whose parent
 * shares only the API and the provided libraries, see {@link SharedClassLoader}) and its own Micronaut
 * {@link ApplicationContext}. The context also sees the host's bean definitions through the
 * parent loader; only those whose class loader is the package's are used.
 *
 * <p>Methods are invoked through Micronaut's compile-time generated {@link ExecutableMethod}s: no
 * reflection, no class-path scanning. Thread-safe after construction.
 */
final class LoadedPackage implements AutoCloseable {

    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    private final String name;
    private final PackageClassLoader loader;
    private final ApplicationContext context;
    private final FunctionPackage pkg;
    private final Supplier<JsFunctions> js;

    private LoadedPackage(String name, PackageClassLoader loader, ApplicationContext context, FunctionPackage pkg,
                          Supplier<JsFunctions> js) {
        this.name = name;
        this.loader = loader;
        this.context = context;
        this.pkg = pkg;
        this.js = js;
    }

    /** Loads {@code pkg} (already verified) under the deployment's name {@code name}; it has no JavaScript functions. */
    static LoadedPackage load(String name, FunctionPackage pkg, ClassLoader hostLoader) {
        return load(name, pkg, hostLoader, () -> {
            throw new IllegalStateException("package '" + name + "' was loaded without a JavaScript engine");
        });
    }

    /**
     * Loads {@code pkg} (already verified) under the deployment's name {@code name}; its JavaScript
     * functions, if any, run on {@code js}'s engine (asked for only when one starts). A package of
     * JavaScript functions only gets no class loader and no Micronaut context: it has no classes.
     */
    static LoadedPackage load(String name, FunctionPackage pkg, ClassLoader hostLoader, Supplier<JsFunctions> js) {
        if (pkg.index().functions().stream().allMatch(FunctionDescriptor::isJs)) {
            return new LoadedPackage(name, null, null, pkg, js);
        }
        PackageClassLoader loader = pkg.newClassLoader("edgefn-package-" + name, new SharedClassLoader(hostLoader));
        try {
            ApplicationContext context = ApplicationContext.builder()
                    .classLoader(loader)
                    .deduceEnvironment(false)
                    .banner(false)
                    .start();
            return new LoadedPackage(name, loader, context, pkg, js);
        } catch (RuntimeException | Error e) {
            try {
                loader.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The script of a JavaScript function of this package, as it was checked. */
    public String script(String source) {
        return pkg.script(source);
    }

    /** The host's JavaScript side, created on first use. */
    JsFunctions js() {
        return js.get();
    }

    /** The jar this package was loaded from (the host's staged copy). */
    java.nio.file.Path jar() {
        return pkg.jar();
    }

    /** The package's class loader; {@code null} for a package of JavaScript functions only. */
    public ClassLoader classLoader() {
        return loader;
    }

    /**
     * The bean definition of the function class {@code className}, which must have been compiled
     * with the edgefn processor into this package.
     */
    @SuppressWarnings("unchecked")
    public BeanDefinition<Object> definition(String className) {
        Class<?> type = load(className);
        List<BeanDefinition<?>> found = context.getBeanDefinitions(type).stream()
                .filter(d -> d.getBeanType() == type && d.getBeanType().getClassLoader() == loader)
                .<BeanDefinition<?>>map(d -> d)
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException("package '" + name + "': " + className + " has " + found.size()
                    + " bean definitions in this package, expected 1; was it compiled with the edgefn processor?");
        }
        return (BeanDefinition<Object>) found.get(0);
    }

    /** Creates the function's instance when called (its constructor is user code and may throw). */
    public Supplier<Object> beanFactory(BeanDefinition<Object> definition) {
        return () -> context.getBean(definition);
    }

    /** The generated invoker of {@code method} of {@code definition}. */
    @SuppressWarnings("unchecked")
    public ExecutableMethod<Object, Object> method(BeanDefinition<Object> definition, MethodDescriptor method) {
        List<String> typeNames = method.parameterTypes();
        Class<?>[] types = new Class<?>[typeNames.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = load(typeNames.get(i));
        }
        return (ExecutableMethod<Object, Object>) (ExecutableMethod<?, ?>) definition.findMethod(method.name(), types)
                .orElseThrow(() -> new IllegalStateException("package '" + name + "': " + definition.getBeanType().getName()
                        + "." + method.name() + typeNames + " has no generated invoker; was it compiled with the edgefn processor?"));
    }

    private Class<?> load(String typeName) {
        Class<?> primitive = PRIMITIVES.get(typeName);
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(typeName, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("package '" + name + "': cannot load " + typeName + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (loader == null) {
            return;
        }
        try {
            context.close();
        } finally {
            try {
                loader.close();
            } catch (IOException e) {
                // The jar stays open until collected; nothing to do.
            }
        }
    }
}
